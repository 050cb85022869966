/**
 * The versioned wire format: the header that frames a compressed Redis value, and the
 * faults a reader reports when a value does not follow it. The normative description is
 * {@code FORMAT.md}.
 */
@NullMarked
package io.github.compressredis.core.format;

import org.jspecify.annotations.NullMarked;
