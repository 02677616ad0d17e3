import { benchTokenHotPath } from "./src/token-hot.mjs";
await benchTokenHotPath();
