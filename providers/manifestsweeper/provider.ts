// The provider serialized into each resource's state: see providers/common/provider.ts.
import { handlersProvider } from "../common/provider";

export const manifestSweeperProvider = handlersProvider("manifestsweeper");
