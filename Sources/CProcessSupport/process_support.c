#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/mman.h>
#include <unistd.h>
#include "process_support.h"

int grade_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int grade_spawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

int grade_spawn_add_closefrom(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}

int grade_memory_file(const char *name, const void *bytes, size_t count, int lowest) {
    int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0) return -1;
    const char *next = bytes;
    size_t left = count;
    while (left > 0) {
        ssize_t written = write(fd, next, left);
        if (written < 0) {
            if (errno == EINTR) continue;
            int saved = errno;
            close(fd);
            errno = saved;
            return -1;
        }
        next += written;
        left -= (size_t)written;
    }
    if (lseek(fd, 0, SEEK_SET) != 0 || (fd < lowest && grade_move_above(&fd, lowest) != 0)) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

int grade_move_above(int *fd, int lowest) {
    int moved = fcntl(*fd, F_DUPFD_CLOEXEC, lowest);
    if (moved < 0) return -1;
    close(*fd);
    *fd = moved;
    return 0;
}
