// A non-variadic face of the few libvips calls Strata needs: Swift cannot call C variadic functions.
#include "strata_vips.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <vips/vips.h>

static pthread_once_t start_once = PTHREAD_ONCE_INIT;
static int start_result = -1;

// libvips also logs decoder trouble through GLib; Strata reports it from vips_error_buffer()
// instead, so these warnings would only be noise on stderr.
static void ignore_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data) {
    (void)domain; (void)level; (void)message; (void)data;
}

static void start(void) {
    g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO, ignore_log, NULL);
    start_result = VIPS_INIT("strata");
    if (start_result == 0) {
        // Uploads are one-shot: caching decoded images would only hold memory and file handles.
        vips_cache_set_max(0);
        vips_cache_set_max_mem(0);
        vips_cache_set_max_files(0);
        // Uploads are untrusted input: only libvips' fuzzed loaders may read them.
        vips_block_untrusted_set(TRUE);
        // ...except SVG (librsvg), which Strapi reads and logos need.
        vips_operation_block_set("VipsForeignLoadSvg", FALSE);
    }
}

int strata_vips_start(void) {
    pthread_once(&start_once, start);
    return start_result;
}

static void take_error(char *error, size_t error_length) {
    if (error && error_length > 0) {
        snprintf(error, error_length, "%s", vips_error_buffer());
        // libvips ends its messages with a newline.
        size_t length = strlen(error);
        while (length > 0 && (error[length - 1] == '\n' || error[length - 1] == ' ')) error[--length] = '\0';
    }
    vips_error_clear();
}

int strata_vips_probe(const char *path, strata_image_info *info, char *error, size_t error_length) {
    if (strata_vips_start() != 0) { take_error(error, error_length); return -1; }
    const char *loader = vips_foreign_find_load(path);
    if (!loader) { take_error(error, error_length); return -1; }
    VipsImage *image = vips_image_new_from_file(path, "access", VIPS_ACCESS_SEQUENTIAL, "fail", TRUE, NULL);
    if (!image) { take_error(error, error_length); return -1; }
    // Decoding every pixel is what proves the file is not truncated or corrupt.
    double average = 0;
    int failed = vips_avg(image, &average, NULL);
    if (failed) {
        g_object_unref(image);
        take_error(error, error_length);
        return -1;
    }
    info->width = vips_image_get_width(image);
    info->height = vips_image_get_height(image);
    const char *nickname = vips_nickname_find(g_type_from_name(loader));
    snprintf(info->loader, sizeof(info->loader), "%s", nickname ? nickname : loader);
    g_object_unref(image);
    return 0;
}

int strata_vips_resize(const char *input, const char *output, int width, int height, int quality,
                       int *written_width, int *written_height, char *error, size_t error_length) {
    if (strata_vips_start() != 0) { take_error(error, error_length); return -1; }
    VipsImage *thumbnail = NULL;
    if (vips_thumbnail(input, &thumbnail, width, "height", height, "size", VIPS_SIZE_DOWN, NULL)) {
        take_error(error, error_length);
        return -1;
    }
    char target[4096];
    if (quality > 0) {
        snprintf(target, sizeof(target), "%s[Q=%d]", output, quality);
    } else {
        snprintf(target, sizeof(target), "%s", output);
    }
    int failed = vips_image_write_to_file(thumbnail, target, NULL);
    if (!failed) {
        *written_width = vips_image_get_width(thumbnail);
        *written_height = vips_image_get_height(thumbnail);
    } else {
        take_error(error, error_length);
    }
    g_object_unref(thumbnail);
    return failed ? -1 : 0;
}
