package io.github.compressredis.testsupport.nacos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * A real Nacos 3.0.3 server started from the kit's {@code start-nacos.sh} on free
 * loopback ports, with a home directory of its own, and its HTTP API to publish, read and
 * delete configuration. {@link #stop()} and {@link #start()} restart it on the same ports
 * and home, so its data survives, as a restarted production server's does.
 *
 * @author compress-redis contributors
 */
public final class NacosServer implements AutoCloseable {

	/** Seconds the kit may take to become ready (its own default is 300). */
	static final int READY_TIMEOUT_SECONDS = 240;

	/**
	 * The Maven step of a first start downloads ~220 MB; the script itself stops at the
	 * ready timeout.
	 */
	private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(READY_TIMEOUT_SECONDS + 600);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);

	private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * How long a published content may take to be served (asynchronous on the server).
	 */
	private static final Duration SERVED_TIMEOUT = Duration.ofSeconds(60);

	private final Path kit;

	private final Path home;

	private final int port;

	private final int consolePort;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private volatile boolean running;

	private volatile Duration lastStart = Duration.ZERO;

	private NacosServer(Path kit, Path home, int port, int consolePort) {
		this.kit = kit;
		this.home = home;
		this.port = port;
		this.consolePort = consolePort;
	}

	/**
	 * Start a server from the kit on free loopback ports, in a new home directory under
	 * {@code parent}.
	 * @param kit the kit directory (holds {@code start-nacos.sh})
	 * @param parent where to create the server's home directory
	 * @return the running server
	 */
	public static NacosServer start(Path kit, Path parent) {
		IllegalStateException failure = null;
		// another build may take a port between the check and Nacos binding it: try new
		// ports then
		for (int attempt = 0; attempt < 3; attempt++) {
			int[] ports = freePorts();
			Path home;
			try {
				Files.createDirectories(parent);
				home = Files.createTempDirectory(parent.toAbsolutePath(), "nacos-home-");
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot create a Nacos home directory under " + parent, ex);
			}
			NacosServer server = new NacosServer(kit, home, ports[0], ports[1]);
			try {
				server.start();
				// a test JVM that ends without closing the server (killed fork) still
				// stops it
				Runtime.getRuntime().addShutdownHook(new Thread(server::stopQuietly, "nacos-server-stop"));
				return server;
			}
			catch (IllegalStateException ex) {
				if (failure == null) {
					failure = ex;
				}
				else {
					failure.addSuppressed(ex);
				}
				if (!ex.getMessage().contains("is busy")) {
					break;
				}
			}
		}
		throw Objects.requireNonNull(failure);
	}

	/**
	 * Start this server (again), on its ports and in its home directory; waits until it
	 * is ready.
	 * @throws IllegalStateException if it does not start
	 */
	public synchronized void start() {
		if (this.running) {
			return;
		}
		long started = System.nanoTime();
		Map<String, String> env = new LinkedHashMap<>();
		env.put("NACOS_PORT", Integer.toString(this.port));
		env.put("NACOS_CONSOLE_PORT", Integer.toString(this.consolePort));
		env.put("NACOS_READY_TIMEOUT", Integer.toString(READY_TIMEOUT_SECONDS));
		Run run = run(List.of(this.kit.resolve("start-nacos.sh").toString(), this.home.toString()), env, SCRIPT_TIMEOUT,
				"start");
		if (run.exitCode() != 0) {
			throw new IllegalStateException("Nacos did not start from " + this.kit + " (exit " + run.exitCode() + "): "
					+ run.errorTail() + tail(this.home.resolve("logs/startup.log")));
		}
		this.running = true;
		this.lastStart = Duration.ofNanos(System.nanoTime() - started);
	}

	/**
	 * Stop this server; {@link #start()} starts it again with the same data.
	 */
	public synchronized void stop() {
		if (!this.running) {
			return;
		}
		Run run = run(List.of(this.kit.resolve("stop-nacos.sh").toString(), this.home.toString()), Map.of(),
				STOP_TIMEOUT, "stop");
		this.running = false;
		if (run.exitCode() != 0) {
			throw new IllegalStateException("Nacos in " + this.home + " did not stop: " + run.errorTail());
		}
	}

	private void stopQuietly() {
		try {
			stop();
		}
		catch (RuntimeException ex) {
			System.err.println(ex.getMessage());
		}
	}

	@Override
	public void close() {
		stop();
	}

	/**
	 * Return whether the server runs.
	 * @return whether it was started and not stopped since
	 */
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Return the address a Nacos client connects to.
	 * @return {@code 127.0.0.1:port}
	 */
	public String serverAddr() {
		return "127.0.0.1:" + this.port;
	}

	/**
	 * Return the HTTP port (gRPC for clients is {@code port + 1000}).
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Return the server's home directory (configuration data, logs).
	 * @return the home directory
	 */
	public Path home() {
		return this.home;
	}

	/**
	 * Return how long the last start took, Maven's classpath step included.
	 * @return the duration of the last start
	 */
	public Duration lastStart() {
		return this.lastStart;
	}

	/**
	 * Publish a content with the v3 admin API, and wait until the server serves it: Nacos
	 * stores a publish first and updates the cache it answers reads from asynchronously,
	 * so a client started right after the call could still read the previous content.
	 * @param dataId the data ID
	 * @param group the group
	 * @param content the content
	 */
	public void publish(String dataId, String group, String content) {
		String body = form(Map.of("dataId", dataId, "groupName", group, "content", content));
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v3/admin/cs/config"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
		expectSuccess("publish " + dataId, response);
		long deadline = System.nanoTime() + SERVED_TIMEOUT.toNanos();
		while (!content.equals(get(dataId, group))) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Nacos did not serve the content published to " + dataId + " within "
						+ SERVED_TIMEOUT.toSeconds() + " s");
			}
			pause();
		}
	}

	/**
	 * Delete a data ID with the v3 admin API.
	 * @param dataId the data ID
	 * @param group the group
	 */
	public void delete(String dataId, String group) {
		HttpResponse<String> response = send(
				HttpRequest.newBuilder(uri("/v3/admin/cs/config?" + form(Map.of("dataId", dataId, "groupName", group))))
					.DELETE());
		expectSuccess("delete " + dataId, response);
	}

	/**
	 * Read a content with the v1 API, which answers the raw content.
	 * @param dataId the data ID
	 * @param group the group
	 * @return the content, {@code null} if the data ID does not exist
	 */
	public @Nullable String get(String dataId, String group) {
		URI uri = uri("/v1/cs/configs?" + form(Map.of("dataId", dataId, "group", group)));
		for (int attempt = 0;; attempt++) {
			HttpResponse<String> response = send(HttpRequest.newBuilder(uri).GET());
			if (response.statusCode() == 200) {
				return response.body();
			}
			if (response.statusCode() == 404) {
				return null;
			}
			// "requested file is being modified, please try later": a read in the instant
			// of a write
			if (response.statusCode() != 409 || attempt >= 500) {
				throw new IllegalStateException(
						"Nacos answered " + response.statusCode() + " to reading " + dataId + ": " + response.body());
			}
			pause();
		}
	}

	private static void pause() {
		try {
			Thread.sleep(20);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for Nacos", ex);
		}
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + "/nacos" + path);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.timeout(HTTP_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Nacos on " + serverAddr() + " did not answer", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while calling Nacos", ex);
		}
	}

	private static void expectSuccess(String what, HttpResponse<String> response) {
		String body = response.body();
		if (response.statusCode() != 200 || !body.replace(" ", "").contains("\"code\":0")) {
			throw new IllegalStateException(
					"Nacos refused to " + what + ": HTTP " + response.statusCode() + " " + body);
		}
	}

	private static String form(Map<String, String> values) {
		return values.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

	private Run run(List<String> command, Map<String, String> env, Duration timeout, String name) {
		Path out = this.home.resolve(name + ".out");
		Path err = this.home.resolve(name + ".err");
		ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectOutput(out.toFile())
			.redirectError(err.toFile());
		builder.environment().putAll(env);
		try {
			Process process = builder.start();
			if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(
						command.get(0) + " did not finish within " + timeout.toSeconds() + " s" + tail(err));
			}
			return new Run(process.exitValue(), tail(err));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot run " + command.get(0), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + command.get(0), ex);
		}
	}

	private static String tail(Path file) {
		try {
			if (!Files.isRegularFile(file)) {
				return "";
			}
			List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
			return "\n--- " + file + " (last lines) ---\n"
					+ String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
		}
		catch (IOException | UncheckedIOException ex) {
			return "";
		}
	}

	// NACOS_PORT with the ports Nacos derives from it (gRPC +1000, +1001, JRaft -1000),
	// and a console port
	private static int[] freePorts() {
		for (int attempt = 0; attempt < 200; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(12_000, 30_000);
			int console = port + 7;
			if (isFree(port) && isFree(port + 1000) && isFree(port + 1001) && isFree(port - 1000) && isFree(console)) {
				return new int[] { port, console };
			}
		}
		throw new IllegalStateException("Found no free set of ports for Nacos in 200 attempts");
	}

	// JRaft binds every interface, so check the wildcard address as well as loopback
	private static boolean isFree(int port) {
		for (InetAddress address : new InetAddress[] { InetAddress.getLoopbackAddress(), null }) {
			try (ServerSocket socket = new ServerSocket()) {
				socket.setReuseAddress(false);
				socket.bind((address != null) ? new InetSocketAddress(address, port) : new InetSocketAddress(port));
			}
			catch (IOException ex) {
				return false;
			}
		}
		return true;
	}

	private record Run(int exitCode, String errorTail) {
	}

}
