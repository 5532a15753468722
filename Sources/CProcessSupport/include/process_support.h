#ifndef GRADE_PROCESS_SUPPORT_H
#define GRADE_PROCESS_SUPPORT_H

#include <spawn.h>
#include <stddef.h>

/// Creates a pipe whose two ends are close-on-exec from the start (pipe2 with O_CLOEXEC).
int grade_pipe_cloexec(int fds[2]);

/// Adds "change to directory `path`" to a posix_spawn file-actions list.
int grade_spawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path);

/// Adds "close every descriptor from `lowest` up" to a posix_spawn file-actions list.
int grade_spawn_add_closefrom(posix_spawn_file_actions_t *actions, int lowest);

/// A close-on-exec memory file (memfd_create) holding the `count` bytes at `bytes`, positioned at its
/// start, on a descriptor numbered `lowest` or above; -1 with errno set on failure.
int grade_memory_file(const char *name, const void *bytes, size_t count, int lowest);

/// Moves `*fd` to the lowest free descriptor numbered `lowest` or above (close-on-exec), closing the old one.
int grade_move_above(int *fd, int lowest);

#endif
