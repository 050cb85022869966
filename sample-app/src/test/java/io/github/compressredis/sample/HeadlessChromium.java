package io.github.compressredis.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Just enough of the W3C WebDriver protocol, spoken over HTTP to Debian's chromedriver, to drive
 * a headless Chromium through a page; no browser download, no Selenium.
 */
final class HeadlessChromium implements AutoCloseable {

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Process driver;

	private final Path userDataDir;

	private final String base;

	private String session = "";

	private HeadlessChromium(Process driver, int port, Path userDataDir) {
		this.driver = driver;
		this.base = "http://127.0.0.1:" + port;
		this.userDataDir = userDataDir;
	}

	/**
	 * Start chromedriver on a free loopback port and open a headless Chromium session with a
	 * fresh profile.
	 * @param width the window width in CSS pixels
	 * @param height the window height in CSS pixels
	 * @param log where chromedriver writes its log
	 * @return the browser, to close
	 */
	static HeadlessChromium start(int width, int height, Path log) throws IOException {
		int port = freePort();
		Path userDataDir = Files.createTempDirectory("sample-app-chromium-");
		Process driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port, "--log-path=" + log)
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		HeadlessChromium chromium = new HeadlessChromium(driver, port, userDataDir);
		try {
			chromium.awaitDriver();
			chromium.openSession(width, height);
			return chromium;
		}
		catch (RuntimeException ex) {
			chromium.close();
			throw ex;
		}
	}

	void open(String url) {
		call("POST", "/url", Map.of("url", url));
	}

	void click(String css) {
		call("POST", "/element/" + find(css) + "/click", Map.of());
	}

	void type(String css, String text) {
		String element = find(css);
		call("POST", "/element/" + element + "/clear", Map.of());
		call("POST", "/element/" + element + "/value", Map.of("text", text));
	}

	String text(String css) {
		return call("GET", "/element/" + find(css) + "/text", null).asString();
	}

	String attribute(String css, String name) {
		JsonNode value = call("GET", "/element/" + find(css) + "/attribute/" + name, null);
		return value.isNull() ? "" : value.asString();
	}

	JsonNode execute(String script) {
		return call("POST", "/execute/sync", Map.of("script", script, "args", List.of()));
	}

	void resize(int width, int height) {
		call("POST", "/window/rect", Map.of("width", width, "height", height));
	}

	void screenshot(Path file) throws IOException {
		Files.createDirectories(file.toAbsolutePath().getParent());
		Files.write(file, Base64.getDecoder().decode(call("GET", "/screenshot", null).asString()));
	}

	/**
	 * Wait until a condition about the page holds.
	 * @param what the condition, for the failure message
	 * @param condition the condition
	 */
	void waitUntil(String what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Timed out after " + WAIT.toSeconds() + " s waiting until " + what);
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	@Override
	public void close() {
		try {
			if (!this.session.isEmpty()) {
				send("DELETE", "/session/" + this.session, null);
			}
		}
		catch (RuntimeException ex) {
			// the browser is gone already; the driver is stopped below anyway
		}
		finally {
			this.driver.destroy();
			try {
				if (!this.driver.waitFor(5, TimeUnit.SECONDS)) {
					this.driver.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			deleteRecursively(this.userDataDir);
		}
	}

	private void awaitDriver() {
		waitUntil("chromedriver answers on " + this.base, () -> {
			if (!this.driver.isAlive()) {
				throw new IllegalStateException("chromedriver exited with code " + this.driver.exitValue());
			}
			try {
				return send("GET", "/status", null).path("value").path("ready").asBoolean(false);
			}
			catch (RuntimeException ex) {
				return false;
			}
		});
	}

	private void openSession(int width, int height) {
		List<String> args = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--window-size=" + width + "," + height,
				"--user-data-dir=" + this.userDataDir);
		Map<String, Object> options = Map.of("binary", CHROMIUM.toString(), "args", args);
		Map<String, Object> capabilities = Map.of("browserName", "chrome", "goog:chromeOptions", options);
		JsonNode created = send("POST", "/session", Map.of("capabilities", Map.of("alwaysMatch", capabilities)));
		this.session = created.path("value").path("sessionId").asString();
		if (this.session.isEmpty()) {
			throw new IllegalStateException("chromedriver did not create a session: " + created);
		}
	}

	private String find(String css) {
		JsonNode element = call("POST", "/element", Map.of("using", "css selector", "value", css));
		return element.path(ELEMENT).asString();
	}

	private JsonNode call(String method, String path, @Nullable Map<String, Object> body) {
		return send(method, "/session/" + this.session + path, body).path("value");
	}

	private JsonNode send(String method, String path, @Nullable Map<String, Object> body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "application/json; charset=utf-8");
		request.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(body))
				: HttpRequest.BodyPublishers.noBody());
		HttpResponse<String> response;
		try {
			response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("WebDriver " + method + " " + path + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		JsonNode answer = this.json.readTree(response.body());
		if (response.statusCode() != 200) {
			JsonNode error = answer.path("value");
			throw new IllegalStateException("WebDriver " + method + " " + path + " answered " + response.statusCode()
					+ ": " + error.path("error").asString() + ": " + error.path("message").asString());
		}
		return answer;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			return socket.getLocalPort();
		}
	}

	private static void deleteRecursively(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a leftover temporary profile is harmless
		}
	}

}
