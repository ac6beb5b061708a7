/*
 * Syscall probe for the real-engine tests: performs one operation and prints "ok" or
 * "errno=<n>", so a test can tell EPERM (seccomp, capabilities) from EACCES or EROFS.
 *   probe unshare | mount | keyctl | ptrace | chown <path> <uid> | bind <port> | write <path> | uid
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static int report(long rc) {
  if (rc < 0) { printf("errno=%d\n", errno); return 1; }
  printf("ok\n");
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: probe <op> [args]\n"); return 2; }
  const char *op = argv[1];
  if (!strcmp(op, "uid")) { printf("%d:%d\n", (int)getuid(), (int)getgid()); return 0; }
  if (!strcmp(op, "unshare")) return report(unshare(CLONE_NEWUSER));
  if (!strcmp(op, "mount")) return report(mount("none", "/tmp", "tmpfs", 0, NULL));
  if (!strcmp(op, "keyctl")) return report(syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* session */, 0));
  if (!strcmp(op, "ptrace")) return report(ptrace(PTRACE_TRACEME, 0, NULL, NULL));
  if (!strcmp(op, "chown") && argc == 4) return report(chown(argv[2], atoi(argv[3]), atoi(argv[3])));
  if (!strcmp(op, "write") && argc == 3) {
    int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return report(-1);
    long rc = write(fd, "x", 1);
    close(fd);
    return report(rc);
  }
  if (!strcmp(op, "bind") && argc == 3) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) return report(-1);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)atoi(argv[2]));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return report(bind(s, (struct sockaddr *)&a, sizeof a));
  }
  fprintf(stderr, "unknown op %s\n", op);
  return 2;
}
