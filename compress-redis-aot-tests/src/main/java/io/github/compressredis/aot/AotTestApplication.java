package io.github.compressredis.aot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.web.server.context.WebServerPortFileWriter;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;

/**
 * An application that uses nothing of compress-redis but the starter and
 * {@code compress.redis.algorithm: zstd}. The build processes it with
 * {@code spring-boot:process-aot}; its test starts it from that output.
 *
 * @author compress-redis contributors
 */
@SpringBootApplication
@EnableCaching
public class AotTestApplication {

	/**
	 * Start the application; the port it listens on is written to the file named by the
	 * {@code PORTFILE} system property.
	 * @param args the application arguments
	 */
	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(AotTestApplication.class);
		application.addListeners(new WebServerPortFileWriter());
		application.run(args);
	}

	/**
	 * A bean whose condition only the build's AOT processing sees met: at runtime it
	 * exists only if the bean definitions generated at build time were used.
	 * @return the marker
	 */
	@Bean
	@ConditionalOnBooleanProperty("aot-tests.processed-at-build-time")
	BuildTimeMarker buildTimeMarker() {
		return new BuildTimeMarker();
	}

	/**
	 * Present only when the application runs from its AOT output.
	 *
	 * @author compress-redis contributors
	 */
	static final class BuildTimeMarker {

	}

}
