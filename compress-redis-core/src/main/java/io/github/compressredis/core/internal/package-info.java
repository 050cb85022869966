/**
 * Helpers the other packages of the core share; not part of the public API, may change in
 * any release.
 */
@NullMarked
package io.github.compressredis.core.internal;

import org.jspecify.annotations.NullMarked;
