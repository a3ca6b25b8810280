/**
 * A webhook bot in ten lines of logic (README "Chatbot"): it checks the signature (and refuses a
 * replay), answers 202 at once, then replies through bot_reply with its bot key. It echoes the
 * message, and hands over when the visitor asks for a person.
 * Run it: `BOT_SECRET=whsec_… BOT_KEY=pbk_… SUPABASE_ANON_KEY=… PORT=8788 tsx supabase/worker/bot/example-bot.ts`.
 */
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { verifyWebhook } from './signature.ts';

export interface ExampleBotOptions {
  /** The workspace's webhook secret and bot key, from "Rotate credentials" in the settings. */
  readonly secret: string;
  readonly botKey: string;
  /** The project's anon (publishable) key: the API gateway wants one with every call. */
  readonly anonKey: string;
}

export function createExampleBot({ secret, botKey, anonKey }: ExampleBotOptions): http.Server {
  const seen = new Map<string, number>();
  return http.createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const check = verifyWebhook(secret, body, req.headers, { toleranceSeconds: 300, seen });
    if (!check.ok) return void res.writeHead(401).end(check.reason);
    res.writeHead(202).end();
    const { job, reply_url: replyUrl } = JSON.parse(body) as { job: { message_id: string; text: string }; reply_url: string };
    const handover = /\b(person|human|agent)\b/i.test(job.text);
    await fetch(replyUrl, {
      method: 'POST',
      headers: { apikey: anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ p_bot_key: botKey, p_message_id: job.message_id, p_handover: handover,
        p_text: handover ? 'Let me find you a person.' : `You said: ${job.text}` }),
    }).catch((error: unknown) => console.error('example bot: reply failed', error));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const env = (name: string) => process.env[name] ?? (() => { throw new Error(`${name} is required`); })();
  createExampleBot({ secret: env('BOT_SECRET'), botKey: env('BOT_KEY'), anonKey: env('SUPABASE_ANON_KEY') })
    .listen(Number(process.env.PORT ?? 8788), () => console.log(`example bot on port ${process.env.PORT ?? 8788}`));
}
