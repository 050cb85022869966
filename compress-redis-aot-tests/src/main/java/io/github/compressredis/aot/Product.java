package io.github.compressredis.aot;

import java.io.Serializable;

/**
 * A catalog entry, cached by Spring Cache with Boot's default (JDK) serialization.
 *
 * @param id the product id
 * @param name its name
 * @param description its description, long enough to be compressed
 * @author compress-redis contributors
 */
public record Product(String id, String name, String description) implements Serializable {

}
