// Runs the whole suite with bun's test runner and closes with the plain line
// "tests: N passed, M failed" that CI reads. Arguments pass through to `bun test`.
// Black-box tests start servers and browsers: 60 s per test (bunfig has no key for this).
const proc = Bun.spawn([process.execPath, "test", "--timeout", "60000", ...process.argv.slice(2)], { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
let summary = "";
const forward = async (stream: ReadableStream<Uint8Array>, sink: NodeJS.WriteStream) => {
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    const text = decoder.decode(chunk, { stream: true });
    summary = (summary + text).slice(-4000);
    sink.write(text);
  }
};
await Promise.all([forward(proc.stdout, process.stdout), forward(proc.stderr, process.stderr)]);
const code = await proc.exited;
const passed = Number(/^\s*(\d+) pass$/m.exec(summary)?.[1] ?? 0);
const failed = Number(/^\s*(\d+) fail$/m.exec(summary)?.[1] ?? 0);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(code !== 0 ? code : passed === 0 ? 1 : 0);
export {};
