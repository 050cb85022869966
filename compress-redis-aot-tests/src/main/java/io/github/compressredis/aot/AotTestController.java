package io.github.compressredis.aot;

import java.time.Duration;
import java.util.Map;

import io.github.compressredis.aot.AotTestApplication.BuildTimeMarker;

import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the test drives: values written and read through Boot's
 * {@link StringRedisTemplate} and {@link ReactiveStringRedisTemplate}, products read
 * through the cache, and how the application was started.
 *
 * @author compress-redis contributors
 */
@RestController
class AotTestController {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final StringRedisTemplate redisTemplate;

	private final ReactiveStringRedisTemplate reactiveRedisTemplate;

	private final ProductCatalog catalog;

	private final ObjectProvider<BuildTimeMarker> buildTimeMarker;

	AotTestController(StringRedisTemplate redisTemplate, ReactiveStringRedisTemplate reactiveRedisTemplate,
			ProductCatalog catalog, ObjectProvider<BuildTimeMarker> buildTimeMarker) {
		this.redisTemplate = redisTemplate;
		this.reactiveRedisTemplate = reactiveRedisTemplate;
		this.catalog = catalog;
		this.buildTimeMarker = buildTimeMarker;
	}

	@PutMapping("/values/{key}")
	void put(@PathVariable String key, @RequestBody String value) {
		this.redisTemplate.opsForValue().set(key, value);
	}

	@GetMapping("/values/{key}")
	ResponseEntity<String> get(@PathVariable String key) {
		String value = this.redisTemplate.opsForValue().get(key);
		return (value != null) ? ResponseEntity.ok(value) : ResponseEntity.notFound().build();
	}

	@PutMapping("/reactive-values/{key}")
	void putReactive(@PathVariable String key, @RequestBody String value) {
		this.reactiveRedisTemplate.opsForValue().set(key, value).block(TIMEOUT);
	}

	@GetMapping("/reactive-values/{key}")
	ResponseEntity<String> getReactive(@PathVariable String key) {
		String value = this.reactiveRedisTemplate.opsForValue().get(key).block(TIMEOUT);
		return (value != null) ? ResponseEntity.ok(value) : ResponseEntity.notFound().build();
	}

	@GetMapping("/products/{id}")
	Product product(@PathVariable String id) {
		return this.catalog.product(id);
	}

	@GetMapping("/products/{id}/loads")
	int loads(@PathVariable String id) {
		return this.catalog.loads(id);
	}

	@GetMapping("/startup")
	Map<String, Boolean> startup() {
		return Map.of("generatedArtifacts", AotDetector.useGeneratedArtifacts(), "processedAtBuildTime",
				this.buildTimeMarker.getIfAvailable() != null);
	}

}
