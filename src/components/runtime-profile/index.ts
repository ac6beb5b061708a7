export * from "./apparmor";
export * from "./component";
export * from "./seccomp";
export * from "./syscalls";
