package io.github.compressredis.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

/**
 * Where a migration is, saved after every SCAN batch so that a killed migration resumes:
 * per master the SCAN cursor and whether it is done, and the counts so far. A properties
 * file, replaced atomically (written beside it, then moved over it).
 *
 * @author compress-redis contributors
 */
final class Checkpoint {

	private final @Nullable Path file;

	private final String job;

	private final Properties state = new Properties();

	private Checkpoint(@Nullable Path file, String job) {
		this.file = file;
		this.job = job;
	}

	/**
	 * Load the checkpoint of a job, or start one.
	 * @param file the file, {@code null} to keep the state in memory only
	 * @param job what the migration does; a file written by another job is refused
	 * @return the checkpoint
	 */
	static Checkpoint open(@Nullable Path file, String job) {
		Checkpoint checkpoint = new Checkpoint(file, job);
		if (file != null && Files.exists(file)) {
			try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
				checkpoint.state.load(reader);
			}
			catch (IOException ex) {
				throw new CliException(CliException.USAGE, "Cannot read checkpoint " + file + ": " + ex.getMessage());
			}
			String saved = checkpoint.state.getProperty("job");
			if (!job.equals(saved)) {
				throw new CliException(CliException.USAGE,
						"Checkpoint " + file + " belongs to another migration (" + saved + "), not this one (" + job
								+ "). Run that one again to resume it, or give " + "another --checkpoint file");
			}
		}
		checkpoint.state.setProperty("job", job);
		return checkpoint;
	}

	boolean resumed() {
		return this.state.containsKey("scanned");
	}

	String cursor(String node) {
		return this.state.getProperty("node." + node + ".cursor", "0");
	}

	boolean done(String node) {
		return Boolean.parseBoolean(this.state.getProperty("node." + node + ".done", "false"));
	}

	long count(String name) {
		return Long.parseLong(this.state.getProperty(name, "0"));
	}

	/**
	 * Record a master's cursor and the counts, and save.
	 * @param node the master
	 * @param cursor the cursor to continue from
	 * @param done whether the master's scan is complete
	 * @param counts the counts so far
	 */
	void save(String node, String cursor, boolean done, MigrationCounts counts) {
		this.state.setProperty("node." + node + ".cursor", cursor);
		this.state.setProperty("node." + node + ".done", Boolean.toString(done));
		counts.store(this.state);
		Path file = this.file;
		if (file == null) {
			return;
		}
		Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
		try {
			try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
				this.state.store(writer, "compress-redis migrate checkpoint: delete it to start over");
			}
			Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write checkpoint " + file, ex);
		}
	}

	Properties state() {
		return this.state;
	}

}
