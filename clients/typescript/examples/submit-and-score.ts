// Submits a few survey responses through NpsWriter, then prints the product's score.
//   npm run build && node dist/examples/submit-and-score.js [host:port]   (default 127.0.0.1:5000, or $NPS_SERVER_ADDRESS)
import { createNpsClient, NpsWriter } from "@npsgrpc/client";

const address = process.argv[2] ?? process.env.NPS_SERVER_ADDRESS ?? "127.0.0.1:5000";
const productId = process.argv[3] ?? `example-typescript-${Date.now()}`; // a product of its own, new on every run
const client = createNpsClient(address);

const writer = new NpsWriter(client, {
  onRejected: (r) => console.log(`rejected ${r.field}: ${r.description}`),
});
for (const score of [10, 9, 9, 8, 7, 6, 3, 10, 11]) {
  await writer.add({ productId, score, segments: { region: score % 2 ? "eu" : "us" } });
}
await writer.close(); // flushes, waits for every acknowledgement, ends the stream
console.log(`writer ${writer.writerId}: ${JSON.stringify(writer.stats)}`);

const { score } = await client.getScore({ productId });
console.log(`${productId}: NPS ${score?.nps} from ${score?.total} responses ` +
  `(${score?.promoters} promoters, ${score?.passives} passives, ${score?.detractors} detractors)`);
