// Reads [{ name, content }] as JSON on stdin, parses each with GitHub's own workflow parser and
// prints [[error messages of file 1], ...] as JSON on stdout.
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const files = JSON.parse(input);
const results = files.map(({ name, content }) => {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((e) => e.message);
});
process.stdout.write(JSON.stringify(results));
