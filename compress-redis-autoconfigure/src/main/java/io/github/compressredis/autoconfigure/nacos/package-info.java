/**
 * The live policy from Nacos: a listener on one data ID through the Nacos
 * {@code ConfigService}, and the Spring Cloud refresh path for {@code compress.redis.*}
 * imported with {@code spring.config.import}.
 */
@NullMarked
package io.github.compressredis.autoconfigure.nacos;

import org.jspecify.annotations.NullMarked;
