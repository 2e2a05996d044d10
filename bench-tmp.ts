import { benchVCenter } from "./bench/vcenter";
