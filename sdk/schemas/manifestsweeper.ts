// The inputs of the ManifestSweeper that VCenterManifests creates (providers/manifestsweeper): which objects carry
// its owner label, where they may live, and the cluster.
import { z } from "zod";
import { timeoutsSchema } from "./common";

/** A label value (Kubernetes API conventions, "Syntax and character set"): at most 63 characters. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export const objectKindSchema = z
  .object({
    apiVersion: z.string().min(1, "must not be empty"),
    kind: z.string().min(1, "must not be empty"),
    namespace: z.string().min(1, "must not be empty").optional(),
  })
  .strict();

export const manifestSweeperInputsSchema = z.object({
  /** The OWNER_LABEL value on every object (sdk/kubernetes/owner.ts ownerId). */
  owner: z
    .string()
    .max(63, "must be at most 63 characters (a label value)")
    .regex(LABEL_VALUE, "must be a label value")
    .min(1),
  /** The collections the objects live in: what a destroy lists. */
  kinds: z.array(objectKindSchema),
  /** A kubeconfig file path or its text; absent: $KUBECONFIG or ~/.kube/config. */
  kubeconfig: z.string().min(1, "must not be empty").optional(),
  timeouts: timeoutsSchema,
});

export type ManifestSweeperInputs = z.output<typeof manifestSweeperInputsSchema>;
