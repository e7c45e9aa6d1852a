import type { Readable } from 'node:stream';

/**
 * The last lines a container printed, kept so an error can show why a service did not come up
 * (testcontainers removes a container whose wait strategy failed, and its logs with it).
 */
export class LogTail {
  private readonly maxLines: number;
  private lines: string[] = [];
  private partial = '';

  constructor(maxLines = 30) {
    this.maxLines = maxLines;
  }

  /** For GenericContainer.withLogConsumer: the stream is already demultiplexed text. */
  readonly consume = (stream: Readable): void => {
    stream.on('data', (chunk: string | Buffer) => this.push(chunk.toString()));
    stream.on('error', () => {
      /* the container went away; what we have is what we show */
    });
  };

  push(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts.map((l) => l.replace(/\r$/, '')));
    if (this.lines.length > this.maxLines) this.lines = this.lines.slice(-this.maxLines);
  }

  text(): string {
    return [...this.lines, ...(this.partial ? [this.partial] : [])].slice(-this.maxLines).join('\n');
  }
}
