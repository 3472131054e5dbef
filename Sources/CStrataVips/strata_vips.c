// A non-variadic face of the few libvips calls Strata needs (Swift cannot call C variadic
// functions), loading libvips on first use with dlopen: a server that never resizes an image
// never maps libvips and the hundred libraries it pulls in (start-up time and idle memory), and
// a machine without libvips still stores uploads, only without dimensions and formats.
#include "strata_vips.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <vips/vips.h>

// The libvips and GLib functions used, looked up once; types come from libvips' own headers.
static struct {
    __typeof__(&vips_version) version;
    __typeof__(&vips_init) init;
    __typeof__(&vips_cache_set_max) cache_set_max;
    __typeof__(&vips_cache_set_max_mem) cache_set_max_mem;
    __typeof__(&vips_cache_set_max_files) cache_set_max_files;
    __typeof__(&vips_block_untrusted_set) block_untrusted_set;
    __typeof__(&vips_operation_block_set) operation_block_set;
    __typeof__(&vips_error_buffer) error_buffer;
    __typeof__(&vips_error_clear) error_clear;
    __typeof__(&vips_foreign_find_load) foreign_find_load;
    __typeof__(&vips_nickname_find) nickname_find;
    __typeof__(&vips_image_new_from_file) image_new_from_file;
    __typeof__(&vips_avg) avg;
    __typeof__(&vips_image_get_width) image_get_width;
    __typeof__(&vips_image_get_height) image_get_height;
    __typeof__(&vips_thumbnail) thumbnail;
    __typeof__(&vips_image_write_to_file) image_write_to_file;
    __typeof__(&g_object_unref) object_unref;
    __typeof__(&g_type_from_name) type_from_name;
    __typeof__(&g_log_set_handler) log_set_handler;
} vips;

static pthread_once_t start_once = PTHREAD_ONCE_INIT;
static int start_result = -1;
static char start_error[256] = "libvips is not installed (apt-get install libvips42)";

// libvips also logs decoder trouble through GLib; Strata reports it from vips_error_buffer()
// instead, so these warnings would only be noise on stderr.
static void ignore_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data) {
    (void)domain; (void)level; (void)message; (void)data;
}

#define LOOKUP(field, name) \
    if (!(vips.field = (__typeof__(vips.field))dlsym(library, name))) { \
        snprintf(start_error, sizeof(start_error), "libvips lacks %s", name); \
        return; \
    }

static void start(void) {
    void *library = dlopen("libvips.so.42", RTLD_NOW | RTLD_LOCAL);
    if (!library) library = dlopen("libvips.so", RTLD_NOW | RTLD_LOCAL);
    if (!library) return;
    LOOKUP(version, "vips_version")
    LOOKUP(init, "vips_init")
    LOOKUP(cache_set_max, "vips_cache_set_max")
    LOOKUP(cache_set_max_mem, "vips_cache_set_max_mem")
    LOOKUP(cache_set_max_files, "vips_cache_set_max_files")
    LOOKUP(block_untrusted_set, "vips_block_untrusted_set")
    LOOKUP(operation_block_set, "vips_operation_block_set")
    LOOKUP(error_buffer, "vips_error_buffer")
    LOOKUP(error_clear, "vips_error_clear")
    LOOKUP(foreign_find_load, "vips_foreign_find_load")
    LOOKUP(nickname_find, "vips_nickname_find")
    LOOKUP(image_new_from_file, "vips_image_new_from_file")
    LOOKUP(avg, "vips_avg")
    LOOKUP(image_get_width, "vips_image_get_width")
    LOOKUP(image_get_height, "vips_image_get_height")
    LOOKUP(thumbnail, "vips_thumbnail")
    LOOKUP(image_write_to_file, "vips_image_write_to_file")
    LOOKUP(object_unref, "g_object_unref")
    LOOKUP(type_from_name, "g_type_from_name")
    LOOKUP(log_set_handler, "g_log_set_handler")
    // VIPS_INIT's version check, by hand: the library must match the headers' major version.
    if (vips.version(0) != VIPS_MAJOR_VERSION) {
        snprintf(start_error, sizeof(start_error), "libvips %d found, Strata was built for %d", vips.version(0), VIPS_MAJOR_VERSION);
        return;
    }
    vips.log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO, ignore_log, NULL);
    if (vips.init("strata") != 0) {
        snprintf(start_error, sizeof(start_error), "%s", vips.error_buffer());
        return;
    }
    // Uploads are one-shot: caching decoded images would only hold memory and file handles.
    vips.cache_set_max(0);
    vips.cache_set_max_mem(0);
    vips.cache_set_max_files(0);
    // Uploads are untrusted input: only libvips' fuzzed loaders may read them...
    vips.block_untrusted_set(TRUE);
    // ...except SVG (librsvg), which Strapi reads and logos need.
    vips.operation_block_set("VipsForeignLoadSvg", FALSE);
    start_result = 0;
}

int strata_vips_start(void) {
    pthread_once(&start_once, start);
    return start_result;
}

static void take_error(char *error, size_t error_length) {
    if (error && error_length > 0) {
        snprintf(error, error_length, "%s", vips.error_buffer());
        // libvips ends its messages with a newline.
        size_t length = strlen(error);
        while (length > 0 && (error[length - 1] == '\n' || error[length - 1] == ' ')) error[--length] = '\0';
    }
    vips.error_clear();
}

static int not_started(char *error, size_t error_length) {
    if (error && error_length > 0) snprintf(error, error_length, "%s", start_error);
    return -1;
}

int strata_vips_probe(const char *path, strata_image_info *info, char *error, size_t error_length) {
    if (strata_vips_start() != 0) return not_started(error, error_length);
    const char *loader = vips.foreign_find_load(path);
    if (!loader) { take_error(error, error_length); return -1; }
    VipsImage *image = vips.image_new_from_file(path, "access", VIPS_ACCESS_SEQUENTIAL, "fail", TRUE, NULL);
    if (!image) { take_error(error, error_length); return -1; }
    // Decoding every pixel is what proves the file is not truncated or corrupt.
    double average = 0;
    int failed = vips.avg(image, &average, NULL);
    if (failed) {
        vips.object_unref(image);
        take_error(error, error_length);
        return -1;
    }
    info->width = vips.image_get_width(image);
    info->height = vips.image_get_height(image);
    const char *nickname = vips.nickname_find(vips.type_from_name(loader));
    snprintf(info->loader, sizeof(info->loader), "%s", nickname ? nickname : loader);
    vips.object_unref(image);
    return 0;
}

int strata_vips_resize(const char *input, const char *output, int width, int height, int quality,
                       int *written_width, int *written_height, char *error, size_t error_length) {
    if (strata_vips_start() != 0) return not_started(error, error_length);
    VipsImage *thumbnail = NULL;
    if (vips.thumbnail(input, &thumbnail, width, "height", height, "size", VIPS_SIZE_DOWN, NULL)) {
        take_error(error, error_length);
        return -1;
    }
    char target[4096];
    if (quality > 0) {
        snprintf(target, sizeof(target), "%s[Q=%d]", output, quality);
    } else {
        snprintf(target, sizeof(target), "%s", output);
    }
    int failed = vips.image_write_to_file(thumbnail, target, NULL);
    if (!failed) {
        *written_width = vips.image_get_width(thumbnail);
        *written_height = vips.image_get_height(thumbnail);
    } else {
        take_error(error, error_length);
    }
    vips.object_unref(thumbnail);
    return failed ? -1 : 0;
}
