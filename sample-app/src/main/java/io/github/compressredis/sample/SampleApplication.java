package io.github.compressredis.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/**
 * The sample application. With no {@code spring.data.redis.*} configured and nothing
 * listening on localhost:6379, it starts an embedded redis-server first.
 *
 * @author compress-redis contributors
 */
@SpringBootApplication
@EnableCaching
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(SampleApplication.class);
		application.addListeners(new EmbeddedRedisStarter());
		application.run(args);
	}

}
