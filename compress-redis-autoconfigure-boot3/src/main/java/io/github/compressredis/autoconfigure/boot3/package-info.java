/**
 * Auto-configuration for compress-redis on Spring Boot 3.5: what Boot 3.5 keeps in other
 * packages than Boot 4, on top of the shared auto-configuration.
 */
@NullMarked
package io.github.compressredis.autoconfigure.boot3;

import org.jspecify.annotations.NullMarked;
