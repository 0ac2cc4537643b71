// Preloaded by the CLI tests (node -r): says on stderr, at exit, whether onnxruntime-node was ever loaded.
process.on('exit', () => {
  if (Object.keys(require.cache).some((path) => path.includes('onnxruntime-node'))) {
    process.stderr.write('onnxruntime loaded\n');
  }
});
