// Makes `require("pulumi-vmware-kit/...")` resolve inside this checkout, as it does for users who install the
// package. Dynamic providers must require the kit by package name: Pulumi serializes provider closures, and
// modules under node_modules are captured by reference while local files would be copied by value.
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const link = path.join(root, "node_modules", "pulumi-vmware-kit");
fs.mkdirSync(path.dirname(link), { recursive: true });
try {
  if (fs.readlinkSync(link) === "..") process.exit(0);
  fs.unlinkSync(link);
} catch (e) {
  if (e.code !== "ENOENT") throw e;
}
fs.symlinkSync("..", link, "dir");
