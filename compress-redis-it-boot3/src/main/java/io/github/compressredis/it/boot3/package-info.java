/**
 * A Spring Boot 3.5 application that adds compress-redis with its Boot 3 starter only.
 */
@NullMarked
package io.github.compressredis.it.boot3;

import org.jspecify.annotations.NullMarked;
