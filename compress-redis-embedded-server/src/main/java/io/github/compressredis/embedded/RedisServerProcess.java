package io.github.compressredis.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.jspecify.annotations.Nullable;

/**
 * A real {@code redis-server} process listening on 127.0.0.1, with persistence off;
 * closing it stops the process. Each server registers a JVM shutdown hook that kills it
 * if it was not closed; closing removes the hook. Commands are sent with Lettuce:
 * {@link #command(Object...)} for a quick look at raw values, {@link #connect()} for
 * Lettuce's typed API.
 *
 * @author compress-redis contributors
 */
public final class RedisServerProcess implements AutoCloseable {

	/** The only address servers bind to. */
	public static final String HOST = "127.0.0.1";

	/** Default time a server gets to answer PING after it was launched. */
	public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(10);

	static final int OUTPUT_LINES = 100;

	private static final int FREE_PORT_ATTEMPTS = 5;

	private static final Duration RESTART_BIND_RETRY = Duration.ofSeconds(5);

	private final Path binary;

	private final List<String> extraArgs;

	private final IntFunction<List<String>> portArgs;

	/** Configuration a Sentinel starts from, or {@code null} for a data node. */
	private final @Nullable String sentinelConfig;

	private final Path directory;

	private final boolean ownsDirectory;

	private final boolean clusterBus;

	private final Duration startupTimeout;

	private final ArrayDeque<String> output = new ArrayDeque<>(OUTPUT_LINES);

	private final RedisClient client;

	private final Thread shutdownHook;

	private final Object connectionLock = new Object();

	/**
	 * Connection behind {@link #command(Object...)}, guarded by {@link #connectionLock}.
	 */
	private @Nullable StatefulRedisConnection<byte[], byte[]> shared;

	/**
	 * Ports bound by this object while the server is stopped but not closed, guarded by
	 * {@code this}.
	 */
	private final List<ServerSocket> heldPorts = new ArrayList<>();

	private volatile int port;

	private volatile @Nullable Process process;

	private volatile @Nullable Thread drainer;

	/** {@code redis_version} from {@code INFO server} of the last start. */
	private volatile String version = "";

	private volatile boolean closed;

	private RedisServerProcess(Builder builder, Path directory, boolean ownsDirectory) {
		this.binary = (builder.binary != null) ? builder.binary : RedisServerBinary.resolve();
		this.extraArgs = List.copyOf(builder.args);
		this.portArgs = builder.portArgs;
		this.sentinelConfig = builder.sentinelConfig;
		this.directory = directory;
		this.ownsDirectory = ownsDirectory;
		this.clusterBus = builder.clusterBus;
		this.startupTimeout = builder.startupTimeout;
		this.client = RedisClient.create();
		this.client.setOptions(RawCommands.clientOptions());
		this.shutdownHook = new Thread(this::killOnExit, "compress-redis-server-shutdown");
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
	}

	/**
	 * Starts a server on a free loopback port.
	 * @return the running server
	 */
	public static RedisServerProcess start() {
		return builder().start();
	}

	/**
	 * Starts a server on the given port.
	 * @param port the port to listen on
	 * @return the running server
	 */
	public static RedisServerProcess start(int port) {
		return builder().port(port).start();
	}

	/**
	 * Returns a builder for a server with extra configuration, a fixed port or a given
	 * working directory.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Returns the address the server listens on.
	 * @return {@code "127.0.0.1"}
	 */
	public String host() {
		return HOST;
	}

	/**
	 * Returns the port the server listens on; it stays the same across
	 * {@link #restart()}.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Returns {@code host:port}.
	 * @return for example {@code "127.0.0.1:6379"}
	 */
	public String address() {
		return HOST + ":" + this.port;
	}

	/**
	 * Returns the server's working directory (its {@code --dir}).
	 * @return the directory
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * Returns the version the server reported in {@code INFO server} when it started.
	 * @return for example {@code "6.2.6"} (embedded-redis) or {@code "7.0.15"} (Debian's
	 * {@code redis-server})
	 */
	public String version() {
		return this.version;
	}

	/**
	 * Returns the {@code redis-server} executable this server runs.
	 * @return the binary
	 */
	public Path binary() {
		return this.binary;
	}

	/**
	 * Tells whether the server process is alive.
	 * @return {@code true} if alive
	 */
	public boolean isRunning() {
		Process current = this.process;
		return current != null && current.isAlive();
	}

	/**
	 * Returns the last lines (at most 100) the server printed, oldest first.
	 * @return a copy of the recent output
	 */
	public List<String> recentOutput() {
		synchronized (this.output) {
			return List.copyOf(this.output);
		}
	}

	/**
	 * Opens a new Lettuce connection to this server, with binary keys and values and
	 * RESP2 replies.
	 * @return a connection the caller must close
	 * @throws RedisException if the server cannot be reached
	 * @throws IllegalStateException if this server was closed
	 */
	public StatefulRedisConnection<byte[], byte[]> connect() {
		if (this.closed) {
			throw new IllegalStateException("The redis-server on " + address() + " was closed");
		}
		return this.client.connect(ByteArrayCodec.INSTANCE, RawCommands.uri(this.port, RawCommands.TIMEOUT));
	}

	/**
	 * Sends one command on a connection this object keeps (opened on first use, again
	 * after a restart), for example {@code command("GET", key)} to see the raw bytes a
	 * value is stored as. Thread-safe.
	 * @param args the command name and arguments, each a {@link CharSequence} (sent as
	 * UTF-8), {@code byte[]} or {@link Number}
	 * @return the reply: {@code byte[]} (a status reply such as {@code OK}, or a bulk
	 * string; {@code null} for nil), {@link Long} (integer) or a {@code List} of those
	 * (array); {@link #commandString(Object...)} reads a reply as text
	 * @throws RedisException if the server answers with an error (the message is the
	 * server's) or cannot be reached
	 * @throws IllegalStateException if this server was closed
	 */
	public @Nullable Object command(Object... args) {
		return RawCommands.run(sharedConnection().sync(), args);
	}

	/**
	 * Sends one command like {@link #command(Object...)} and returns its reply as text:
	 * bulk strings decoded as UTF-8, integers in decimal.
	 * @param args the command name and arguments
	 * @return the reply text, or {@code null} for a nil reply
	 * @throws IllegalStateException if the reply is an array
	 */
	public @Nullable String commandString(Object... args) {
		return RawCommands.runForText(sharedConnection().sync(), args);
	}

	private StatefulRedisConnection<byte[], byte[]> sharedConnection() {
		synchronized (this.connectionLock) {
			StatefulRedisConnection<byte[], byte[]> current = this.shared;
			if (current == null || !current.isOpen()) {
				if (current != null) {
					current.close();
				}
				current = connect();
				this.shared = current;
			}
			return current;
		}
	}

	private void closeSharedConnection() {
		synchronized (this.connectionLock) {
			StatefulRedisConnection<byte[], byte[]> current = this.shared;
			this.shared = null;
			if (current != null) {
				current.close();
			}
		}
	}

	/**
	 * Stops the server with SIGTERM (persistence is off, so nothing is saved), then
	 * SIGKILL; does nothing if it is not running. It can be started again with
	 * {@link #restart()}; until then its ports stay reserved.
	 */
	public synchronized void stop() {
		Process current = this.process;
		if (current == null) {
			return;
		}
		closeSharedConnection();
		if (current.isAlive()) {
			current.destroy();
			if (!waitFor(current, Duration.ofSeconds(7))) {
				current.destroyForcibly();
				waitFor(current, Duration.ofSeconds(5));
			}
		}
		afterExit();
		holdPorts();
	}

	/**
	 * Kills the server with SIGKILL, as a crash would; it can be started again with
	 * {@link #restart()}.
	 */
	public synchronized void kill() {
		Process current = this.process;
		if (current == null) {
			return;
		}
		closeSharedConnection();
		current.destroyForcibly();
		waitFor(current, Duration.ofSeconds(10));
		afterExit();
		holdPorts();
	}

	/**
	 * Stops the server if it is running and starts it again on the same port, retrying
	 * briefly while the port is still taken.
	 * @throws IllegalStateException if the server was closed or cannot start again
	 */
	public synchronized void restart() {
		if (this.closed) {
			throw new IllegalStateException("The redis-server on " + address() + " was closed and cannot restart");
		}
		stop();
		long deadline = System.nanoTime() + RESTART_BIND_RETRY.toNanos();
		while (true) {
			try {
				launch();
				return;
			}
			catch (PortInUseException ex) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("Cannot restart redis-server on " + address()
							+ ": the port stays in use. " + ex.getMessage(), ex);
				}
				sleep(100);
			}
		}
	}

	/**
	 * Stops the server and deletes the temporary working directory it created; calling it
	 * again does nothing.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			stop();
		}
		finally {
			releasePorts();
			this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
			try {
				Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
			}
			catch (IllegalStateException ex) {
				// the JVM is shutting down: the hook runs anyway and finds nothing to do
			}
			if (this.ownsDirectory) {
				deleteRecursively(this.directory);
			}
		}
	}

	/**
	 * Closes every server, even when closing one fails.
	 * @param processes the servers
	 * @param failure a failure already underway (close failures are added to it as
	 * suppressed), or {@code null}
	 * @return {@code failure}, else the first close failure with the others suppressed,
	 * else {@code null}
	 */
	static @Nullable RuntimeException closeAll(List<RedisServerProcess> processes, @Nullable RuntimeException failure) {
		for (RedisServerProcess process : processes) {
			try {
				process.close();
			}
			catch (RuntimeException ex) {
				if (failure == null) {
					failure = ex;
				}
				else {
					failure.addSuppressed(ex);
				}
			}
		}
		return failure;
	}

	@Override
	public String toString() {
		return "RedisServerProcess[" + address() + (isRunning() ? ", running" : "") + "]";
	}

	/**
	 * Binds the server's ports while it is stopped, so a server started meanwhile cannot
	 * take them.
	 */
	private void holdPorts() {
		if (this.closed) {
			return;
		}
		hold(this.port);
		if (this.clusterBus) {
			hold(this.port + FreePorts.CLUSTER_BUS_OFFSET);
		}
	}

	private void hold(int port) {
		ServerSocket socket = FreePorts.hold(port);
		if (socket != null) {
			this.heldPorts.add(socket);
		}
	}

	private void releasePorts() {
		for (ServerSocket socket : this.heldPorts) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// the port is free either way
			}
		}
		this.heldPorts.clear();
	}

	private void launch() {
		releasePorts();
		List<String> command = new ArrayList<>();
		command.add(this.binary.toString());
		if (this.sentinelConfig != null) {
			command.add(sentinelConfigFile().toString());
			command.add("--sentinel");
		}
		command.add("--bind");
		command.add(HOST);
		command.add("--port");
		command.add(Integer.toString(this.port));
		command.add("--save");
		command.add("");
		command.add("--appendonly");
		command.add("no");
		command.add("--protected-mode");
		command.add("no");
		command.add("--daemonize");
		command.add("no");
		command.add("--dir");
		command.add(this.directory.toString());
		command.addAll(this.portArgs.apply(this.port));
		command.addAll(this.extraArgs);
		Process started;
		try {
			started = new ProcessBuilder(command).directory(this.directory.toFile()).redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(
					"Cannot run " + this.binary + ": " + ex.getMessage() + ". Set the system" + " property '"
							+ RedisServerBinary.PROPERTY + "' to an executable redis-server (if the temp"
							+ " directory is mounted noexec, or set 'java.io.tmpdir' to one that allows execution).",
					ex);
		}
		this.process = started;
		Thread reader = new Thread(() -> drain(started), "redis-server-" + this.port + "-output");
		reader.setDaemon(true);
		reader.start();
		this.drainer = reader;
		try {
			awaitReady(started);
		}
		catch (RuntimeException ex) {
			started.destroyForcibly();
			waitFor(started, Duration.ofSeconds(5));
			afterExit();
			throw ex;
		}
	}

	/**
	 * Writes the Sentinel's configuration file on its first start; a restart keeps the
	 * file, which the Sentinel rewrites with what it learnt (the current master among
	 * them).
	 * @return the file
	 */
	private Path sentinelConfigFile() {
		Path file = this.directory.resolve("sentinel.conf");
		if (!Files.exists(file)) {
			try {
				Files.writeString(file, Objects.requireNonNull(this.sentinelConfig), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot write the Sentinel configuration " + file, ex);
			}
		}
		return file;
	}

	private void awaitReady(Process started) {
		long deadline = System.nanoTime() + this.startupTimeout.toNanos();
		String lastProblem = "no answer yet";
		while (true) {
			if (!started.isAlive()) {
				joinDrainer();
				String tail = tail();
				String message = "redis-server on " + address() + " exited with code " + started.exitValue()
						+ " before answering PING. Last output:\n" + tail;
				if (tail.contains("Address already in use") || tail.contains("Could not create server TCP listening")) {
					throw new PortInUseException(message);
				}
				throw new IllegalStateException(message);
			}
			try (StatefulRedisConnection<byte[], byte[]> connection = this.client.connect(ByteArrayCodec.INSTANCE,
					RawCommands.uri(this.port, Duration.ofMillis(500)))) {
				if ("PONG".equals(connection.sync().ping())) {
					String info = connection.sync().info("server");
					if (info.contains("process_id:" + started.pid() + "\r\n")) {
						this.version = infoField(info, "redis_version");
						return;
					}
					lastProblem = "another process answers on port " + this.port;
				}
			}
			catch (RedisException ex) {
				Throwable cause = ex;
				while (cause.getCause() != null) {
					cause = cause.getCause();
				}
				lastProblem = ex.getMessage() + ((cause != ex) ? ": " + cause : "");
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("redis-server on " + address() + " did not answer PING within "
						+ this.startupTimeout.toMillis() + " ms (" + lastProblem + "). Last output:\n" + tail());
			}
			sleep(20);
		}
	}

	/**
	 * Returns one {@code name:value} field of an {@code INFO} reply.
	 * @param info the reply
	 * @param name the field name
	 * @return the value, or {@code ""} if the reply has no such field
	 */
	static String infoField(String info, String name) {
		for (String line : info.split("\r?\n")) {
			if (line.startsWith(name + ":")) {
				return line.substring(name.length() + 1).trim();
			}
		}
		return "";
	}

	private void drain(Process source) {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(source.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				synchronized (this.output) {
					if (this.output.size() == OUTPUT_LINES) {
						this.output.removeFirst();
					}
					this.output.addLast(line);
				}
			}
		}
		catch (IOException ex) {
			// the process is gone
		}
	}

	private String tail() {
		List<String> lines = recentOutput();
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
	}

	private void joinDrainer() {
		Thread reader = this.drainer;
		if (reader != null) {
			try {
				reader.join(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void afterExit() {
		joinDrainer();
		this.drainer = null;
		this.process = null;
	}

	private static boolean waitFor(Process process, Duration timeout) {
		try {
			return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return !process.isAlive();
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for redis-server", ex);
		}
	}

	static void deleteRecursively(Path root) {
		if (!Files.exists(root)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(root)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> {
				try {
					Files.deleteIfExists(path);
				}
				catch (IOException ex) {
					// best effort
				}
			});
		}
		catch (IOException ex) {
			// best effort
		}
	}

	/**
	 * Runs in this server's shutdown hook: the JVM exits without {@link #close()} having
	 * been called.
	 */
	private void killOnExit() {
		Process current = this.process;
		if (current != null) {
			current.destroy();
			if (!waitFor(current, Duration.ofSeconds(2))) {
				current.destroyForcibly();
				waitFor(current, Duration.ofSeconds(2));
			}
		}
		if (this.ownsDirectory) {
			deleteRecursively(this.directory);
		}
	}

	private static RedisServerProcess startWith(Builder builder) {
		Path dir = builder.directory;
		boolean owns = dir == null;
		try {
			if (dir == null) {
				dir = Files.createTempDirectory("compress-redis-server-");
			}
			else {
				Files.createDirectories(dir);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the redis-server working directory", ex);
		}
		RedisServerProcess server;
		try {
			server = new RedisServerProcess(builder, dir.toAbsolutePath(), owns);
		}
		catch (RuntimeException ex) {
			if (owns) {
				deleteRecursively(dir);
			}
			throw ex;
		}
		int attempts = (builder.port > 0) ? 1 : FREE_PORT_ATTEMPTS;
		PortInUseException last = null;
		for (int attempt = 0; attempt < attempts; attempt++) {
			int port = (builder.port > 0) ? builder.port : FreePorts.pick(builder.clusterBus);
			server.port = port;
			try {
				server.launch();
				return server;
			}
			catch (PortInUseException ex) {
				last = ex;
			}
			catch (RuntimeException ex) {
				server.close();
				throw ex;
			}
		}
		server.close();
		Objects.requireNonNull(last);
		throw new IllegalStateException((builder.port > 0)
				? "Port " + builder.port + " on 127.0.0.1 is in use. " + last.getMessage()
				: "Could not bind redis-server to a free port after " + attempts + " attempts. " + last.getMessage(),
				last);
	}

	/**
	 * Configures and starts a {@link RedisServerProcess}.
	 */
	public static final class Builder {

		private int port;

		private final List<String> args = new ArrayList<>();

		private IntFunction<List<String>> portArgs = (port) -> List.of();

		private @Nullable Path directory;

		private @Nullable Path binary;

		private boolean clusterBus;

		private @Nullable String sentinelConfig;

		private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;

		private Builder() {
		}

		/**
		 * Listens on a fixed port instead of a free one (a fixed port is not retried if
		 * it is taken).
		 * @param port the port
		 * @return this builder
		 */
		public Builder port(int port) {
			if (port <= 0) {
				throw new IllegalArgumentException("'port' must be positive but was " + port);
			}
			if (port > 65535) {
				throw new IllegalArgumentException("'port' must be at most 65535 but was " + port);
			}
			this.port = port;
			return this;
		}

		/**
		 * Adds a configuration directive, for example
		 * {@code config("maxmemory", "64mb")}.
		 * @param name the directive name, without {@code --}
		 * @param values its values
		 * @return this builder
		 */
		public Builder config(String name, String... values) {
			Objects.requireNonNull(name, "'name' must not be null");
			if (name.isBlank() || name.startsWith("-")) {
				throw new IllegalArgumentException(
						"'name' must be a directive name without '--' but was '" + name + "'");
			}
			this.args.add("--" + name);
			for (String value : values) {
				this.args.add(Objects.requireNonNull(value, "'values' must not contain null"));
			}
			return this;
		}

		/**
		 * Adds raw command-line arguments, for example
		 * {@code args("--cluster-enabled", "yes")}.
		 * @param args the arguments
		 * @return this builder
		 */
		public Builder args(String... args) {
			for (String arg : args) {
				this.args.add(Objects.requireNonNull(arg, "'args' must not contain null"));
			}
			return this;
		}

		/**
		 * Uses the given working directory (kept after close) instead of a fresh
		 * temporary one (deleted on close).
		 * @param directory the directory, created if missing
		 * @return this builder
		 */
		public Builder workingDirectory(Path directory) {
			this.directory = Objects.requireNonNull(directory, "'directory' must not be null");
			return this;
		}

		/**
		 * Runs this executable instead of the one {@link RedisServerBinary#resolve()}
		 * finds.
		 * @param binary the redis-server executable
		 * @return this builder
		 */
		public Builder binary(Path binary) {
			this.binary = Objects.requireNonNull(binary, "'binary' must not be null");
			return this;
		}

		/**
		 * Runs this executable, or with {@code null} the one
		 * {@link RedisServerBinary#resolve()} finds.
		 * @param binary the redis-server executable, or {@code null}
		 * @return this builder
		 */
		Builder binaryOrResolved(@Nullable Path binary) {
			this.binary = binary;
			return this;
		}

		/**
		 * Sets how long the server gets to answer PING (10 s by default).
		 * @param timeout the startup timeout
		 * @return this builder
		 */
		public Builder startupTimeout(Duration timeout) {
			Objects.requireNonNull(timeout, "'timeout' must not be null");
			if (timeout.isNegative() || timeout.isZero()) {
				throw new IllegalArgumentException("'timeout' must be positive but was " + timeout);
			}
			this.startupTimeout = timeout;
			return this;
		}

		/**
		 * Free ports are picked so that {@code port + 10000}, the cluster bus port, is
		 * free too.
		 * @return this builder
		 */
		Builder clusterBus() {
			this.clusterBus = true;
			return this;
		}

		/**
		 * Runs a Sentinel ({@code redis-server <file> --sentinel}) instead of a data
		 * node; the file, written to the working directory, starts with this content.
		 * @param config the Sentinel's configuration
		 * @return this builder
		 */
		Builder sentinel(String config) {
			this.sentinelConfig = config;
			return this;
		}

		/**
		 * Adds arguments that depend on the port finally chosen.
		 * @param portArgs the arguments for a port
		 * @return this builder
		 */
		Builder portArgs(IntFunction<List<String>> portArgs) {
			this.portArgs = portArgs;
			return this;
		}

		/**
		 * Starts the server and waits until it answers PING.
		 * @return the running server
		 * @throws IllegalStateException if it cannot start
		 */
		public RedisServerProcess start() {
			return startWith(this);
		}

	}

	/** The server could not bind its port (or its cluster bus port). */
	static final class PortInUseException extends IllegalStateException {

		private static final long serialVersionUID = 1L;

		PortInUseException(String message) {
			super(message);
		}

	}

}
