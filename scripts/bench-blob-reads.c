// Reads a list of objects through libgit2 on N threads and prints wall, CPU and per-thread figures: the floor of
// what the cold history read can gain by reading record blobs on more than one thread (docs/performance.md, "Record
// blobs on two threads"). Built and run by scripts/bench-blob-reads.sh; not part of isms.
//
//   bench-blob-reads REPO BLOBS [TREES]
//
// BLOBS (and TREES) hold one object id a line. Settings from the environment:
//   THREADS=N        blob-reading threads (1)
//   HANDLES=own      each thread opens its own git_repository (else all share one git_odb, which libgit2 locks itself)
//   HANDLES=alias    each thread opens its own git_odb on the objects folder spelt differently (`.git/./objects`,
//                    `.git/././objects`): libgit2 keys its process-wide table of open packs by path, so each thread
//                    gets a git_pack_file (and its lock, windows and delta-base cache) of its own
//   API=odb|blob|header  git_odb_read (isms's path), git_blob_lookup, or git_odb_read_header then git_odb_read
//   BATCH=N          ids a thread takes at a time from a shared counter, as the parse queue hands them out (64)
//   TREES_THREAD=1   one more thread reads TREES (git_odb_read) at the same time, as the main thread reads trees
//   ISMS_SETTINGS=0  leave libgit2's defaults (else isms's: no strict hashing, 8 MB object cache, no trees cached,
//                    32 MB windows, 64 MB mapped)
//   CACHING=0|1, CACHE_MAX_MB, MWINDOW_MB, MAPPED_MB, FILE_LIMIT: git_libgit2_opts knobs on top
//   ROUNDS=N         read the list N times (1)
#define _GNU_SOURCE
#include <git2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static git_oid *blobs, *trees;
static size_t blobCount, treeCount;
static atomic_size_t nextBatch;
static size_t batch = 64;
static int api;  // 0 odb, 1 blob, 2 header
static const char *repoPath;
static git_repository *sharedRepo;
static git_odb *sharedOdb;
static int ownHandles;  // 1 own repository, 2 own odb on an aliased path
static atomic_int aliasCount;
static int rounds = 1;

static double now(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void die(const char *what) {
    const git_error *e = git_error_last();
    fprintf(stderr, "%s: %s\n", what, e ? e->message : "?");
    exit(2);
}

static git_oid *readList(const char *path, size_t *count) {
    FILE *f = fopen(path, "r");
    if (!f) die(path);
    size_t capacity = 1 << 16, n = 0;
    git_oid *ids = malloc(capacity * sizeof *ids);
    char line[128];
    while (fgets(line, sizeof line, f)) {
        if (strlen(line) < 40) continue;
        line[40] = 0;
        if (n == capacity) ids = realloc(ids, (capacity *= 2) * sizeof *ids);
        if (git_oid_fromstr(&ids[n], line) < 0) die("parse id");
        n++;
    }
    fclose(f);
    *count = n;
    return ids;
}

typedef struct {
    double wall, cpu;
    size_t objects, bytes;
} Result;

static void *readBlobs(void *arg) {
    Result *result = arg;
    double start = now(CLOCK_MONOTONIC), cpuStart = now(CLOCK_THREAD_CPUTIME_ID);
    git_repository *repo = sharedRepo;
    git_odb *odb = sharedOdb;
    if (ownHandles == 1) {
        if (git_repository_open(&repo, repoPath) < 0) die("open");
        if (git_repository_odb(&odb, repo) < 0) die("odb");
    } else if (ownHandles == 2) {
        char path[4096];
        int dots = atomic_fetch_add(&aliasCount, 1) + 1;
        int n = snprintf(path, sizeof path, "%s", git_repository_path(sharedRepo));
        for (int d = 0; d < dots; d++) n += snprintf(path + n, sizeof path - n, "./");
        snprintf(path + n, sizeof path - n, "objects");
        if (git_odb_open(&odb, path) < 0) die("odb alias");
        repo = NULL;
        if (api == 1) die("API=blob needs a repository");
    }
    size_t total = blobCount * rounds;
    for (;;) {
        size_t first = atomic_fetch_add(&nextBatch, 1) * batch;
        if (first >= total) break;
        size_t end = first + batch < total ? first + batch : total;
        for (size_t i = first; i < end; i++) {
            const git_oid *id = &blobs[i % blobCount];
            if (api == 1) {
                git_blob *blob;
                if (git_blob_lookup(&blob, repo, id) < 0) die("blob");
                result->bytes += git_blob_rawsize(blob);
                git_blob_free(blob);
            } else {
                if (api == 2) {
                    size_t length;
                    git_object_t type;
                    if (git_odb_read_header(&length, &type, odb, id) < 0) die("header");
                }
                git_odb_object *object;
                if (git_odb_read(&object, odb, id) < 0) die("read");
                result->bytes += git_odb_object_size(object);
                git_odb_object_free(object);
            }
            result->objects++;
        }
    }
    if (ownHandles) git_odb_free(odb);
    if (ownHandles == 1) git_repository_free(repo);
    result->wall = now(CLOCK_MONOTONIC) - start;
    result->cpu = now(CLOCK_THREAD_CPUTIME_ID) - cpuStart;
    return NULL;
}

static void *readTrees(void *arg) {
    Result *result = arg;
    double start = now(CLOCK_MONOTONIC), cpuStart = now(CLOCK_THREAD_CPUTIME_ID);
    git_repository *repo;
    git_odb *odb;
    // The main thread's own handle, as isms's engine has.
    if (git_repository_open(&repo, repoPath) < 0) die("open");
    if (git_repository_odb(&odb, repo) < 0) die("odb");
    for (size_t i = 0; i < treeCount; i++) {
        git_odb_object *object;
        if (git_odb_read(&object, odb, &trees[i]) < 0) die("tree");
        result->bytes += git_odb_object_size(object);
        git_odb_object_free(object);
        result->objects++;
    }
    git_odb_free(odb);
    git_repository_free(repo);
    result->wall = now(CLOCK_MONOTONIC) - start;
    result->cpu = now(CLOCK_THREAD_CPUTIME_ID) - cpuStart;
    return NULL;
}

static long env(const char *name, long fallback) {
    const char *value = getenv(name);
    return value && *value ? atol(value) : fallback;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s REPO BLOBS [TREES]\n", argv[0]);
        return 2;
    }
    repoPath = argv[1];
    blobs = readList(argv[2], &blobCount);
    int treesThread = env("TREES_THREAD", 0) && argc > 3;
    if (treesThread) trees = readList(argv[3], &treeCount);
    int threads = (int)env("THREADS", 1);
    const char *handles = getenv("HANDLES") ? getenv("HANDLES") : "shared";
    ownHandles = !strcmp(handles, "own") ? 1 : !strcmp(handles, "alias") ? 2 : 0;
    const char *apiName = getenv("API") ? getenv("API") : "odb";
    api = !strcmp(apiName, "blob") ? 1 : !strcmp(apiName, "header") ? 2 : 0;
    batch = (size_t)env("BATCH", 64);
    rounds = (int)env("ROUNDS", 1);

    git_libgit2_init();
    if (env("ISMS_SETTINGS", 1)) {
        git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
        git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)(8 << 20));
        git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)0);
        git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)(32 << 20));
        git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)(64 << 20));
    }
    if (getenv("CACHING")) git_libgit2_opts(GIT_OPT_ENABLE_CACHING, (int)env("CACHING", 1));
    if (getenv("CACHE_MAX_MB")) git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)env("CACHE_MAX_MB", 8) << 20);
    if (getenv("MWINDOW_MB")) git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)env("MWINDOW_MB", 32) << 20);
    if (getenv("MAPPED_MB")) git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)env("MAPPED_MB", 64) << 20);
    if (getenv("FILE_LIMIT")) git_libgit2_opts(GIT_OPT_SET_MWINDOW_FILE_LIMIT, (size_t)env("FILE_LIMIT", 0));

    if (git_repository_open(&sharedRepo, repoPath) < 0) die("open");
    if (git_repository_odb(&sharedOdb, sharedRepo) < 0) die("odb");

    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    double start = now(CLOCK_MONOTONIC);
    pthread_t ids[64];
    Result results[65] = {0};
    for (int t = 0; t < threads; t++) pthread_create(&ids[t], NULL, readBlobs, &results[t]);
    pthread_t treeThread;
    if (treesThread) pthread_create(&treeThread, NULL, readTrees, &results[64]);
    for (int t = 0; t < threads; t++) pthread_join(ids[t], NULL);
    if (treesThread) pthread_join(treeThread, NULL);
    double wall = now(CLOCK_MONOTONIC) - start;
    getrusage(RUSAGE_SELF, &after);

    double user = (after.ru_utime.tv_sec - before.ru_utime.tv_sec) * 1e3 + (after.ru_utime.tv_usec - before.ru_utime.tv_usec) / 1e3;
    double sys = (after.ru_stime.tv_sec - before.ru_stime.tv_sec) * 1e3 + (after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e3;
    size_t objects = 0;
    for (int t = 0; t < threads; t++) objects += results[t].objects;
    printf("threads=%d handles=%s api=%s batch=%zu objects=%zu wall=%.1f user=%.1f sys=%.1f vcsw=%ld ivcsw=%ld blob-threads-cpu=",
        threads, handles, apiName, batch, objects, wall, user, sys,
        after.ru_nvcsw - before.ru_nvcsw, after.ru_nivcsw - before.ru_nivcsw);
    for (int t = 0; t < threads; t++) printf("%s%.1f", t ? "/" : "", results[t].cpu);
    if (treesThread) printf(" trees=%zu trees-wall=%.1f trees-cpu=%.1f", results[64].objects, results[64].wall, results[64].cpu);
    printf("\n");
    git_odb_free(sharedOdb);
    git_repository_free(sharedRepo);
    git_libgit2_shutdown();
    return 0;
}
