package io.github.compressredis.sample;

import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Create, read and bulk-load products.
 *
 * @author compress-redis contributors
 */
@RestController
public class ProductController {

	private static final int MAX_BULK = 10_000;

	private final ProductCatalog catalog;

	public ProductController(ProductCatalog catalog) {
		this.catalog = catalog;
	}

	@PostMapping("/products/{id}")
	public Map<String, Object> create(@PathVariable long id) {
		return Map.of("id", id, "bytes", this.catalog.create(id));
	}

	@GetMapping(path = "/products/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
	public ResponseEntity<String> find(@PathVariable long id) {
		String details = this.catalog.find(id);
		return (details != null) ? ResponseEntity.ok(details) : ResponseEntity.notFound().build();
	}

	@GetMapping(path = "/products/{id}/cached", produces = MediaType.APPLICATION_JSON_VALUE)
	public String cached(@PathVariable long id) {
		return this.catalog.render(id);
	}

	@PostMapping("/products/load")
	public ResponseEntity<Map<String, Object>> load(@RequestParam(defaultValue = "100") int count) {
		if (count < 1 || count > MAX_BULK) {
			return ResponseEntity.badRequest()
				.body(Map.of("error", "'count' must be between 1 and " + MAX_BULK + ", was " + count));
		}
		long bytes = 0;
		for (long id = 1; id <= count; id++) {
			bytes += this.catalog.create(id);
			this.catalog.render(id);
		}
		return ResponseEntity.ok(Map.of("loaded", count, "bytes", bytes));
	}

}
