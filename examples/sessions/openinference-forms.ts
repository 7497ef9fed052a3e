// Every example of the OpenInference "customize spans" docs (using_session, using_user, using_metadata,
// using_tags, using_prompt_template, using_attributes, suppress_tracing, decorators), in its TypeScript
// form, each one LLM call in a session of its own: `${--session}-${form}`. packages/sdk/README.md shows the same code.
//   npx node examples/sessions/openinference-forms.ts [--endpoint http://localhost:4318] [--project sessions-example] [--session id]
import OpenAI from "openai";
import {
  register,
  suppressTracing,
  usingAttributes,
  usingSession,
  withAttributes,
  withMetadata,
  withPromptTemplate,
  withSession,
  withTags,
  withUser,
} from "@threadline/sdk";
import { startOpenAIStub } from "../openai-stub/server.ts";
import { assertReachable, exampleOptions, report, runMain } from "./cli.ts";

async function main(): Promise<void> {
  const options = exampleOptions("sessions-example");
  await assertReachable(options.endpoint);
  const threadline = register({ projectName: options.project, endpoint: options.endpoint, autoInstrument: true });
  await threadline.instrumented;
  const stub = await startOpenAIStub({ latencyMs: [5, 20] });
  const client = new OpenAI({ baseURL: stub.baseURL, apiKey: "sk-example-not-a-real-key", maxRetries: 0 });
  const chat = async (message: string) =>
    (await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: message }] })).choices[0].message.content;
  const session = (form: string) => `${options.session}-${form}`;

  try {
    // using_session
    await withSession(session("session"), () => chat("Hello!"));

    // using_user (a session too, so this example can be found by session)
    await withSession(session("user"), () => withUser("my-user-id", () => chat("Hello!")));

    // using_metadata: merged shallowly into any enclosing metadata
    await withSession(session("metadata"), () => withMetadata({ key: "value", experiment: "v2" }, () => chat("Hello!")));

    // using_tags: added to any enclosing tags
    await withSession(session("tags"), () => withTags(["tag_1", "tag_2"], () => chat("Hello!")));

    // using_prompt_template
    const template = "Please describe the weather forecast for {city} on {date}";
    await withSession(session("prompt-template"), () =>
      withPromptTemplate({ template, variables: { city: "Johannesburg", date: "July 11" }, version: "v1.0" }, () =>
        chat("Please describe the weather forecast for Johannesburg on July 11"),
      ),
    );

    // using_attributes: all of the above at once
    await withAttributes(
      {
        sessionId: session("attributes"),
        userId: "my-user-id",
        metadata: { country: "United States", topic: "weather" },
        tags: ["business_critical", "simple"],
        promptTemplate: { template, variables: { city: "Johannesburg", date: "July 11" }, version: "v1.0" },
      },
      () => chat("Please describe the weather forecast for Johannesburg on July 11"),
    );

    // suppress_tracing: the evaluator's LLM call leaves no span; the chat call around it does
    await withSession(session("suppress-tracing"), async () => {
      await chat("Hello!");
      await suppressTracing(() => chat("Grade the last answer from 1 to 5."));
    });

    // The decorator forms: usingX(...) wraps a function (and, in code compiled with TC39 decorators,
    // decorates a method: `@usingSession(id)`); tracer.chain etc. are the TypeScript @tracer.chain.
    const greet = usingAttributes({ userId: "my-user-id", tags: ["decorated"] })(threadline.tracer.chain(chat, { name: "greet" }));
    await usingSession(session("decorators"))(greet)("Hello!");

    const forms = ["session", "user", "metadata", "tags", "prompt-template", "attributes", "suppress-tracing", "decorators"];
    report(options, { forms }, forms.map(session));
  } finally {
    await threadline.shutdown();
    await stub.close();
  }
}

runMain(main);
