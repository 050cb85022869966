package io.github.compressredis.embedded;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Finds the {@code redis-server} executable: an explicit path (or {@value #INSTALLED} for
 * the one installed on the machine), else the binary shipped in the embedded-redis jar
 * (Redis 6.2, extracted once per JVM), else {@code redis-server} on the {@code PATH}.
 *
 * @author compress-redis contributors
 */
public final class RedisServerBinary {

	/**
	 * System property naming an explicit {@code redis-server} executable, or
	 * {@value #INSTALLED}. Deliberately outside the {@code compress.redis} prefix: the
	 * starter binds that prefix strictly and would reject an unknown
	 * {@code compress.redis.*} property in every application context a test starts.
	 */
	public static final String PROPERTY = "compress-redis.server-binary";

	/**
	 * Environment variable naming an explicit {@code redis-server} executable, or
	 * {@value #INSTALLED}. Not {@code COMPRESS_REDIS_*}, which Spring Boot maps to a
	 * {@code compress.redis.*} property.
	 */
	public static final String ENV = "REDIS_SERVER_BINARY";

	/**
	 * Value of {@link #PROPERTY} or {@link #ENV} that selects the {@code redis-server}
	 * installed on the machine (see {@link #installed()}), for example Debian's Redis 7.
	 */
	public static final String INSTALLED = "installed";

	/** Where Debian's {@code redis-server} package installs the server. */
	static final Path DEBIAN_BINARY = Paths.get("/usr/bin/redis-server");

	private RedisServerBinary() {
	}

	/**
	 * Returns the {@code redis-server} executable to run.
	 * @return an existing, executable file
	 * @throws IllegalStateException if an explicit path is wrong or no binary can be
	 * found
	 */
	public static Path resolve() {
		Path explicit = explicitBinary();
		if (explicit != null) {
			return explicit;
		}
		Extraction embedded = Embedded.EXTRACTION;
		if (embedded.binary() != null && Files.isExecutable(embedded.binary())) {
			return embedded.binary();
		}
		Path onPath = findOnPath(System.getenv("PATH"));
		if (onPath != null) {
			return onPath;
		}
		String problem = embedded.problem();
		throw new IllegalStateException("No redis-server binary found. " + ((problem != null) ? problem + " " : "")
				+ "Either (1) set the system property '" + PROPERTY + "' (or the environment variable " + ENV
				+ ") to an executable redis-server, (2) keep com.github.codemonstur:embedded-redis on the classpath"
				+ " (it ships redis-server for linux amd64/arm64/386 and macOS amd64/arm64), or (3) install"
				+ " redis-server on the PATH (for example 'apt-get install redis-server').");
	}

	/**
	 * Returns the {@code redis-server} installed on the machine rather than the embedded
	 * one: {@code /usr/bin/redis-server} (Debian's {@code redis-server} package, the one
	 * the build's Redis 7 runs look for), else the first on the {@code PATH}.
	 * @return the executable, or empty if none is installed
	 */
	public static Optional<Path> installed() {
		return installed(DEBIAN_BINARY, System.getenv("PATH"));
	}

	/**
	 * Returns {@code debianBinary} if it is executable, else the first
	 * {@code redis-server} on {@code path}.
	 * @param debianBinary where Debian installs the server
	 * @param path a {@code PATH} value, or {@code null}
	 * @return the executable, or empty
	 */
	static Optional<Path> installed(Path debianBinary, @Nullable String path) {
		if (Files.isRegularFile(debianBinary) && Files.isExecutable(debianBinary)) {
			return Optional.of(debianBinary);
		}
		return Optional.ofNullable(findOnPath(path));
	}

	/**
	 * Returns the installed binary for the {@link #INSTALLED} setting, or explains what
	 * to do when there is none.
	 * @param source the system property or environment variable that asked for it
	 * @param installed the installed binary, if any
	 * @return the binary
	 */
	static Path requireInstalled(String source, Optional<Path> installed) {
		return installed.orElseThrow(() -> new IllegalStateException("The " + source + " asks for the installed"
				+ " redis-server, but there is none at " + DEBIAN_BINARY + " nor on the PATH. Install one (for"
				+ " example 'apt-get install redis-server') or unset it to use the binary shipped in embedded-redis."));
	}

	private static @Nullable Path explicitBinary() {
		String source = "system property '" + PROPERTY + "'";
		String value = System.getProperty(PROPERTY);
		if (value == null || value.isBlank()) {
			source = "environment variable " + ENV;
			value = System.getenv(ENV);
		}
		if (value == null || value.isBlank()) {
			return null;
		}
		if (INSTALLED.equals(value.trim())) {
			return requireInstalled(source, installed());
		}
		Path path = Paths.get(value.trim()).toAbsolutePath();
		String fix = " Point the " + source + " at an executable redis-server, or unset it to use the binary shipped"
				+ " in embedded-redis or redis-server on the PATH.";
		if (!Files.exists(path)) {
			throw new IllegalStateException("The " + source + " names " + path + ", which does not exist." + fix);
		}
		if (!Files.isRegularFile(path)) {
			throw new IllegalStateException("The " + source + " names " + path + ", which is not a file." + fix);
		}
		if (!Files.isExecutable(path)) {
			throw new IllegalStateException("The " + source + " names " + path + ", which is not executable (try"
					+ " 'chmod +x " + path + "')." + fix);
		}
		return path;
	}

	private static Extraction extractEmbedded() {
		String resource = resourceName(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
		if (resource == null) {
			return new Extraction(null, "embedded-redis ships no redis-server for " + System.getProperty("os.name")
					+ "/" + System.getProperty("os.arch") + ".");
		}
		try {
			Path binary = extract(resource);
			if (binary == null) {
				return new Extraction(null, "The classpath resource '" + resource
						+ "' (from com.github.codemonstur:embedded-redis) is missing.");
			}
			checkRuns(binary);
			return new Extraction(binary, null);
		}
		catch (IOException | RuntimeException ex) {
			return new Extraction(null, ex.getMessage());
		}
	}

	private static @Nullable Path extract(String resource) throws IOException {
		ClassLoader loader = RedisServerBinary.class.getClassLoader();
		try (InputStream in = (loader != null) ? loader.getResourceAsStream(resource)
				: ClassLoader.getSystemResourceAsStream(resource)) {
			if (in == null) {
				return null;
			}
			Path dir = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
					? Files.createTempDirectory("compress-redis-",
							PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
					: Files.createTempDirectory("compress-redis-");
			Path binary = dir.resolve("redis-server");
			dir.toFile().deleteOnExit();
			binary.toFile().deleteOnExit();
			Files.copy(in, binary, StandardCopyOption.REPLACE_EXISTING);
			if (!binary.toFile().setExecutable(true, true)) {
				throw new IOException("Cannot make " + binary + " executable.");
			}
			return binary;
		}
	}

	/**
	 * Runs {@code redis-server --version} so that a noexec temp directory is reported
	 * clearly.
	 * @param binary the redis-server binary
	 */
	private static void checkRuns(Path binary) throws IOException {
		Process process;
		try {
			process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			String message = String.valueOf(ex.getMessage());
			if (message.contains("error=13") || message.toLowerCase(Locale.ROOT).contains("permission denied")) {
				throw new IOException("The redis-server extracted from embedded-redis to " + binary
						+ " cannot be executed (permission denied; is " + binary.getParent().getParent()
						+ " mounted noexec?). Set the system property '" + PROPERTY + "' to an executable"
						+ " redis-server, or set 'java.io.tmpdir' to a directory that allows execution.", ex);
			}
			throw new IOException("The redis-server extracted from embedded-redis to " + binary + " cannot be run: "
					+ message + ". Set the system property '" + PROPERTY + "' to an executable redis-server.", ex);
		}
		try {
			byte[] output = process.getInputStream().readAllBytes();
			if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IOException("The redis-server extracted from embedded-redis to " + binary
						+ " does not run on this machine (" + new String(output, StandardCharsets.UTF_8).trim()
						+ "). Set the system property '" + PROPERTY + "' to an executable redis-server.");
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while checking " + binary, ex);
		}
	}

	/**
	 * Returns the embedded-redis 1.4.4 resource holding redis-server for an os/arch, or
	 * {@code null} if none.
	 * @param osName the {@code os.name} system property
	 * @param osArch the {@code os.arch} system property
	 * @return the resource name at the root of the jar, or {@code null}
	 */
	static @Nullable String resourceName(String osName, String osArch) {
		String os = osName.toLowerCase(Locale.ROOT);
		String arch = osArch.toLowerCase(Locale.ROOT);
		boolean amd64 = arch.equals("amd64") || arch.equals("x86_64");
		boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
		boolean x86 = arch.equals("x86") || arch.equals("i386") || arch.equals("i486") || arch.equals("i586")
				|| arch.equals("i686");
		if (os.contains("linux")) {
			if (amd64) {
				return "redis-server-6.2.6-v5-linux-amd64";
			}
			if (arm64) {
				return "redis-server-6.2.7-linux-arm64";
			}
			if (x86) {
				return "redis-server-6.2.7-linux-386";
			}
		}
		else if (os.contains("mac") || os.contains("darwin")) {
			if (amd64) {
				return "redis-server-6.2.6-v5-darwin-amd64";
			}
			if (arm64) {
				return "redis-server-6.2.6-v5-darwin-arm64";
			}
		}
		return null;
	}

	private static @Nullable Path findOnPath(@Nullable String path) {
		if (path == null) {
			return null;
		}
		for (String entry : path.split(File.pathSeparator)) {
			if (entry.isBlank()) {
				continue;
			}
			Path candidate = Paths.get(entry, "redis-server");
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return candidate.toAbsolutePath();
			}
		}
		return null;
	}

	/**
	 * Extracts the embedded binary once, on first use: the holder class is initialised
	 * lazily and thread-safely by the JVM, and the result it keeps is immutable.
	 */
	private static final class Embedded {

		static final Extraction EXTRACTION = extractEmbedded();

		private Embedded() {
		}

	}

	/**
	 * The outcome of extracting the embedded binary: a runnable binary or the reason
	 * there is none.
	 *
	 * @param binary the extracted executable, or {@code null}
	 * @param problem why there is no binary, or {@code null}
	 */
	private record Extraction(@Nullable Path binary, @Nullable String problem) {
	}

}
