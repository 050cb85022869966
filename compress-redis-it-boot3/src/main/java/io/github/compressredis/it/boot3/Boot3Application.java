package io.github.compressredis.it.boot3;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/**
 * An application on Spring Boot 3.5 with {@code compress-redis-spring-boot3-starter} and
 * {@code compress.redis.algorithm: zstd}: its RedisTemplate, cache, reactive template and
 * HTTP session values land in Redis compressed.
 *
 * @author compress-redis contributors
 */
@SpringBootApplication
@EnableCaching
public class Boot3Application {

	/**
	 * Start the application.
	 * @param args the command line arguments
	 */
	public static void main(String[] args) {
		SpringApplication.run(Boot3Application.class, args);
	}

}
