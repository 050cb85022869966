/**
 * Policy patches (partial policies from configuration and Nacos) and the validator that
 * refuses an invalid change. Not part of the public API, may change in any release.
 */
@NullMarked
package io.github.compressredis.core.internal.policy;

import org.jspecify.annotations.NullMarked;
