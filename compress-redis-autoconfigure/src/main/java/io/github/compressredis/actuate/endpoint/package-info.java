/**
 * The {@code /actuator/compression} endpoint.
 */
@NullMarked
package io.github.compressredis.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
