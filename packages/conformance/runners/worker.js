// The suite's entry for workerd (bundled by scripts/workerd-bundle.mjs, run by `workerd test`): a Worker whose
// `test()` handler runs the suite. The mock's address comes from the text binding DEALCLOUD_MOCK_URL of the
// generated config. Lines go to console.log, which workerd prints; a failure makes the test handler throw, so
// `workerd test` exits non-zero. No compatibility flags: the suite needs nothing but web APIs.
import { conformanceSuite } from "../src/suite.js";

export default {
  /** @param {unknown} _controller @param {{ DEALCLOUD_MOCK_URL?: string }} env */
  async test(_controller, env) {
    const baseUrl = env.DEALCLOUD_MOCK_URL;
    if (!baseUrl) throw new Error("Bind DEALCLOUD_MOCK_URL (a text binding) to the mock site's address.");
    const { failed } = await conformanceSuite({ baseUrl, log: (line) => console.log(line) }).run();
    if (failed > 0) throw new Error(`${failed} conformance test(s) failed`);
  },
};
