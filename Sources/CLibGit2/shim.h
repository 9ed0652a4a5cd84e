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

/* ---- A guard before libgit2's loose-object reader ------------------------------------------------------------
   libgit2 1.5 (Debian's) loops forever reading a loose object whose zlib stream is cut short (libgit2 #7342, fixed
   upstream after 1.5), and writes past its buffer reading one whose header declares fewer bytes than it holds
   (#7177). This backend sits after the packs and before the loose objects: for an object the packs lack, it inflates
   the loose file itself and refuses one that ends early, does not inflate, or holds another size than its header
   says; a sound one (or none) it passes on to libgit2's own loose reader. */

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <git2/sys/odb_backend.h>
#include <zlib.h>

typedef struct {
    git_odb_backend parent;
    char *objects; /* the objects folder, with a trailing '/' */
} isms_loose_guard;

/* 1: a sound loose object; 0: one that cannot be read whole (cut short, damaged, a size that is not its header's);
   -1: no file there, or one in neither loose format (libgit2 reports those itself). Both formats libgit2 reads are
   checked: zlib of "<type> <size>\0<content>", and git's retired "packlike" one (a pack entry's header: type and size
   in a varint, then zlib of the content), on which libgit2 loops forever just the same when it is cut short. */
static inline int isms_loose_object_state(const char *path) {
    /* Not blocking: opening a FIFO for reading waits for a writer, which never comes. Only a regular file is read;
       libgit2 would wait on anything else (a FIFO) or fail on it (a directory, a device). */
    int descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (descriptor < 0) return -1;
    struct stat info;
    if (fstat(descriptor, &info) != 0 || !S_ISREG(info.st_mode)) { close(descriptor); return 0; }
    FILE *file = fdopen(descriptor, "rb");
    if (!file) { close(descriptor); return -1; }
    unsigned char input[16384], output[16384], header[64];
    size_t headerLength = 0, inflated = 0;
    /* The header's length plus the size it declares, once its NUL is read: a stream inflating past that is refused
       there, not inflated to its end (a few megabytes of zeros inflate to gigabytes, a quarter of a minute). */
    unsigned long long whole = 0;
    int known = 0; /* whether `whole` is known yet */
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (inflateInit(&stream) != Z_OK) { fclose(file); return -1; }
    int status = Z_OK, state = 0, first = 1;
    while (status != Z_STREAM_END) {
        size_t count = fread(input, 1, sizeof input, file);
        if (count == 0) break; /* the file ended before the stream: cut short */
        size_t skipped = 0;
        if (first) {
            first = 0;
            unsigned int word = ((unsigned int)input[0] << 8) + (count > 1 ? input[1] : 0);
            if (count < 2 || (input[0] & 0x8F) != 0x08 || word % 31 != 0) {
                /* Packlike, as libgit2 parses it (`parse_header_packlike`): a commit, tree, blob or tag. */
                int type = (input[0] >> 4) & 7;
                if (type < 1 || type > 4) { state = -1; goto done; }
                unsigned long long size = input[0] & 15;
                unsigned int shift = 4;
                while (input[skipped] & 0x80) {
                    if (++skipped >= count || shift > 57) goto done;
                    size += (unsigned long long)(input[skipped] & 0x7F) << shift;
                    shift += 7;
                }
                skipped++;
                whole = size;
                known = 1;
            }
        }
        stream.next_in = input + skipped;
        stream.avail_in = (uInt)(count - skipped);
        do {
            stream.next_out = output;
            stream.avail_out = sizeof output;
            status = inflate(&stream, Z_NO_FLUSH);
            if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) goto done;
            size_t produced = sizeof output - stream.avail_out;
            inflated += produced;
            if (!known) {
                for (size_t i = 0; i < produced && headerLength < sizeof header; i++) header[headerLength++] = output[i];
                /* "<type> <size>\0<content>": the content must be exactly <size> bytes. */
                unsigned char *end = memchr(header, 0, headerLength);
                if (!end) {
                    if (headerLength == sizeof header) goto done; /* no header git writes is this long */
                    continue;
                }
                unsigned char *space = memchr(header, ' ', headerLength);
                if (!space || space > end || space + 1 == end) goto done;
                unsigned long long declared = 0;
                for (unsigned char *p = space + 1; p < end; p++) {
                    if (*p < '0' || *p > '9' || declared > (1ULL << 60)) goto done;
                    declared = declared * 10 + (unsigned long long)(*p - '0');
                }
                whole = (unsigned long long)(end - header) + 1 + declared;
                known = 1;
            }
            if ((unsigned long long)inflated > whole) goto done;
        } while (stream.avail_out == 0 && status != Z_STREAM_END);
    }
    if (status == Z_STREAM_END && known) state = (unsigned long long)inflated == whole ? 1 : 0;
done:
    inflateEnd(&stream);
    fclose(file);
    return state;
}

/* The loose file of `hex` (40 digits) under the guard's folder, into `path` (PATH_MAX bytes); 0 when too long. */
static inline int isms_loose_object_path(const isms_loose_guard *guard, const char *hex, char *path, size_t size) {
    int written = snprintf(path, size, "%s%.2s/%s", guard->objects, hex, hex + 2);
    return written > 0 && (size_t)written < size;
}

static inline int isms_loose_guard_refuse(const char *hex) {
    char message[160];
    snprintf(message, sizeof message, "loose object %s cannot be read whole: it is cut short or damaged", hex);
    git_error_set_str(GIT_ERROR_ZLIB, message);
    return GIT_ERROR;
}

static inline int isms_loose_guard_read(void **data, size_t *length, git_object_t *type, git_odb_backend *backend,
                                        const git_oid *id) {
    (void)data; (void)length; (void)type;
    char hex[GIT_OID_HEXSZ + 1], path[4096];
    git_oid_tostr(hex, sizeof hex, id);
    if (!isms_loose_object_path((isms_loose_guard *)backend, hex, path, sizeof path)) return GIT_PASSTHROUGH;
    return isms_loose_object_state(path) == 0 ? isms_loose_guard_refuse(hex) : GIT_PASSTHROUGH;
}

/* libgit2 reads a loose object's header itself, opening the file as its full read does: one that is not a regular
   file (a FIFO would never answer) is refused there too; a regular one is left to libgit2, which reads only its first
   bytes (the guard's full read checks the rest before the object is read). */
static inline int isms_loose_guard_read_header(size_t *length, git_object_t *type, git_odb_backend *backend,
                                               const git_oid *id) {
    (void)length; (void)type;
    char hex[GIT_OID_HEXSZ + 1], path[4096];
    git_oid_tostr(hex, sizeof hex, id);
    if (!isms_loose_object_path((isms_loose_guard *)backend, hex, path, sizeof path)) return GIT_PASSTHROUGH;
    struct stat info;
    if (stat(path, &info) != 0 || S_ISREG(info.st_mode)) return GIT_PASSTHROUGH;
    return isms_loose_guard_refuse(hex);
}

/* A short id: every loose file it names is checked, as libgit2's reader would read one of them. */
static inline int isms_loose_guard_read_prefix(git_oid *found, void **data, size_t *length, git_object_t *type,
                                               git_odb_backend *backend, const git_oid *prefix, size_t digits) {
    if (digits >= GIT_OID_HEXSZ) return isms_loose_guard_read(data, length, type, backend, prefix);
    (void)found;
    const isms_loose_guard *guard = (const isms_loose_guard *)backend;
    char hex[GIT_OID_HEXSZ + 1], folder[4096], path[4096];
    git_oid_tostr(hex, sizeof hex, prefix);
    if (digits < 2) return GIT_PASSTHROUGH;
    int written = snprintf(folder, sizeof folder, "%s%.2s", guard->objects, hex);
    if (written <= 0 || (size_t)written >= sizeof folder) return GIT_PASSTHROUGH;
    DIR *directory = opendir(folder);
    if (!directory) return GIT_PASSTHROUGH;
    int result = GIT_PASSTHROUGH;
    struct dirent *entry;
    while ((entry = readdir(directory)) != NULL) {
        if (strlen(entry->d_name) != GIT_OID_HEXSZ - 2 || strncmp(entry->d_name, hex + 2, digits - 2) != 0) continue;
        written = snprintf(path, sizeof path, "%s/%s", folder, entry->d_name);
        if (written <= 0 || (size_t)written >= sizeof path) continue;
        if (isms_loose_object_state(path) == 0) {
            char full[GIT_OID_HEXSZ + 1];
            snprintf(full, sizeof full, "%.2s%s", hex, entry->d_name);
            result = isms_loose_guard_refuse(full);
            break;
        }
    }
    closedir(directory);
    return result;
}

/* libgit2 asks only the backends that can refresh once a first lookup failed; the guard has nothing to refresh. */
static inline int isms_loose_guard_refresh(git_odb_backend *backend) {
    (void)backend;
    return 0;
}

static inline void isms_loose_guard_free(git_odb_backend *backend) {
    isms_loose_guard *guard = (isms_loose_guard *)backend;
    free(guard->objects);
    free(guard);
}

/* Adds the guard for the loose objects under `objects` to `odb` at `priority`, which must lie between the packs'
   and the loose objects' priorities (GIT_OPT_SET_ODB_PACKED_PRIORITY). */
static inline int isms_git_add_loose_guard(git_odb *odb, const char *objects, int priority) {
    isms_loose_guard *guard = calloc(1, sizeof *guard);
    if (!guard) return GIT_ERROR;
    size_t length = strlen(objects);
    guard->objects = malloc(length + 2);
    if (!guard->objects) { free(guard); return GIT_ERROR; }
    memcpy(guard->objects, objects, length);
    if (length == 0 || objects[length - 1] != '/') guard->objects[length++] = '/';
    guard->objects[length] = '\0';
    git_odb_init_backend(&guard->parent, GIT_ODB_BACKEND_VERSION);
    guard->parent.read = isms_loose_guard_read;
    guard->parent.read_prefix = isms_loose_guard_read_prefix;
    guard->parent.read_header = isms_loose_guard_read_header;
    guard->parent.refresh = isms_loose_guard_refresh;
    guard->parent.free = isms_loose_guard_free;
    int code = git_odb_add_backend(odb, &guard->parent, priority);
    if (code < 0) isms_loose_guard_free(&guard->parent);
    return code;
}

/* Where libgit2 ranks packed objects among an object database's backends (its default is 2, loose objects 1). */
static inline int isms_git_set_odb_packed_priority(int priority) {
    return git_libgit2_opts(GIT_OPT_SET_ODB_PACKED_PRIORITY, priority);
}
