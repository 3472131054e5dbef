#ifndef STRATA_VIPS_H
#define STRATA_VIPS_H

#include <stddef.h>

/// Header facts of an image file, read by `strata_vips_probe`.
typedef struct {
    int width;
    int height;
    /// libvips' loader nickname, e.g. "pngload", "jpegload".
    char loader[64];
} strata_image_info;

/// Starts libvips once per process (idempotent, thread-safe). Returns 0 on success.
int strata_vips_start(void);

/// Reads `path` fully (so truncated or corrupt files fail here, not later) and fills `info`.
/// Returns 0 for a decodable image, -1 otherwise with libvips' message in `error`.
int strata_vips_probe(const char *path, strata_image_info *info, char *error, size_t error_length);

/// Writes a copy of `input` that fits inside `width` x `height` (never enlarged) to `output`,
/// whose suffix picks the encoder. `quality` applies to lossy encoders (JPEG, WebP), 0 for the default.
/// Returns 0 and the written dimensions, or -1 with libvips' message in `error`.
int strata_vips_resize(const char *input, const char *output, int width, int height, int quality,
                       int *written_width, int *written_height, char *error, size_t error_length);

#endif
