#include <git2.h>

// git_libgit2_opts is variadic, which Swift cannot call: one fixed-arity wrapper per setting used.

/// Reads no longer re-hash every object (git itself verifies hashes in fsck, not on every read).
static inline int isms_git_set_strict_hash_verification(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}

/* A repository owned by another user is safe to read: isms runs no hooks, filters or fsmonitor. */
static inline int isms_git_set_owner_validation(int enabled) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}

/* Where libgit2 looks for the global, XDG and system configuration; "" means nowhere. */
static inline int isms_git_set_search_path(int level, const char *path) {
    return git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, path);
}

/* The most bytes libgit2 keeps in its cache of parsed objects (commits and small trees); 0 would turn it off. */
static inline int isms_git_set_cache_max_size(ssize_t bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, bytes);
}

/* The size of each window libgit2 maps of a pack file, and the most bytes it keeps mapped at once (it unmaps the
   least recently used windows past that). */
static inline int isms_git_set_mwindow_size(size_t bytes) {
    return git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, bytes);
}
static inline int isms_git_set_mwindow_mapped_limit(size_t bytes) {
    return git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, bytes);
}
/* The most pack files libgit2 keeps open at once (it closes the least recently used past that; 0: no limit). */
static inline int isms_git_set_mwindow_file_limit(size_t files) {
    return git_libgit2_opts(GIT_OPT_SET_MWINDOW_FILE_LIMIT, files);
}

/* The largest object of one type libgit2's cache keeps (by default 4 KiB for commits, trees and tags, 0 for blobs). */
static inline int isms_git_set_cache_object_limit(int type, size_t bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, (git_object_t)type, bytes);
}
