/** A bare Hono app on @hono/node-server: the framework's own ceiling, measured next to ours in the search bench. */
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono();
app.get("/", (c) => c.json({ pong: true }));
serve({ fetch: app.fetch, hostname: "127.0.0.1", port: Number(process.env.PORT) }, () => console.log("listening"));
