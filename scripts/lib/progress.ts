/** A one-line progress bar on stderr (redrawn on a TTY, a line every 10% otherwise). */
export function progressBar(label: string, total: number) {
  const tty = process.stderr.isTTY;
  const started = Date.now();
  let lastDecile = -1;
  return {
    update(done: number, extra = '') {
      const fraction = total > 0 ? Math.min(1, done / total) : 1;
      const seconds = (Date.now() - started) / 1000;
      const rate = seconds > 0 ? Math.round(done / seconds) : 0;
      const line = `${label} [${'#'.repeat(Math.round(fraction * 30)).padEnd(30, '.')}] ${(fraction * 100).toFixed(0).padStart(3)}% ${done}/${total} ${rate}/s ${extra}`;
      if (tty) process.stderr.write(`\r${line}`);
      else if (Math.floor(fraction * 10) > lastDecile) {
        lastDecile = Math.floor(fraction * 10);
        process.stderr.write(`${line}\n`);
      }
    },
    done(message = '') {
      if (tty) process.stderr.write('\n');
      if (message) process.stderr.write(`${message}\n`);
    },
  };
}
