package io.github.compressredis.core.dictionary;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.compressredis.core.dictionary.DictionaryRegistry.Loaded;
import io.github.compressredis.core.internal.codec.ZstdDictionaryCodec;
import io.github.compressredis.core.internal.dictionary.DictionaryTrainer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One dictionary namespace (a cache, a template): the dictionary its writers use, and a
 * bounded reservoir of sampled values from which a dictionary is trained, in the
 * background, once the reservoir is full and again when the ratio drifts (at most once
 * per retrain interval). Writers only pay for a random draw per write and a copy per
 * sampled value.
 *
 * @author compress-redis contributors
 */
public final class DictionaryTarget {

	private static final Log logger = LogFactory.getLog(DictionaryTarget.class);

	/** Doubling steps from 1 reach past 2^31 ids well within this many attempts. */
	private static final int MAX_ALLOCATIONS = 40;

	private final String name;

	private final DictionaryRegistry registry;

	private final DictionarySettings settings;

	private volatile @Nullable Loaded current;

	private final Object lock = new Object();

	private final byte[][] reservoir;

	private int held;

	private long seen;

	private volatile int level = 3;

	private final AtomicBoolean checking = new AtomicBoolean();

	private volatile long nextCheckNanos = System.nanoTime();

	private volatile double ratio = Double.NaN;

	private volatile double plainRatio = Double.NaN;

	private volatile @Nullable Instant checkedAt;

	private final AtomicLong trainings = new AtomicLong();

	private final AtomicLong published = new AtomicLong();

	private final AtomicLong adoptions = new AtomicLong();

	DictionaryTarget(String name, DictionaryRegistry registry, DictionarySettings settings) {
		this.name = Objects.requireNonNull(name, "'name' must not be null");
		this.registry = registry;
		this.settings = settings;
		this.reservoir = new byte[settings.samples()][];
	}

	public String name() {
		return this.name;
	}

	/**
	 * Return the registry this target belongs to (it also decodes values for readers).
	 * @return the registry
	 */
	public DictionaryRegistry registry() {
		return this.registry;
	}

	/**
	 * Return the dictionary writers use now.
	 * @return its codec, {@code null} while the target has none
	 */
	public @Nullable ZstdDictionaryCodec codec() {
		Loaded loaded = this.current;
		return (loaded != null) ? loaded.codec() : null;
	}

	/**
	 * Return the zstd level of values written with this target's dictionary.
	 * @param policyLevel the policy's level
	 * @return the level
	 */
	public int writeLevel(int policyLevel) {
		return this.settings.writeLevel(policyLevel);
	}

	/**
	 * Return the longest value written with the dictionary ({@code maxSampleSize}):
	 * longer ones compress well without one, at the policy's level, which a dictionary
	 * level tuned for small values would only slow down.
	 * @return the size in bytes
	 */
	public int maxSize() {
		return this.settings.maxSampleSize();
	}

	/**
	 * Return the shortest value worth compressing with a dictionary.
	 * @return the size in bytes
	 */
	public int minSize() {
		return this.settings.minSize();
	}

	/**
	 * Offer a value being written: one in {@code sampleRate} is kept in the reservoir.
	 * When the reservoir is full and a check is due, a check (and maybe a training) runs
	 * in the background.
	 * @param value the value's bytes (copied if sampled)
	 * @param level the zstd level values are written with a dictionary (see
	 * {@link #writeLevel(int)})
	 */
	public void offer(byte[] value, int level) {
		int length = value.length;
		if (length == 0 || length > this.settings.maxSampleSize()) {
			return;
		}
		int rate = this.settings.sampleRate();
		if (rate > 1 && ThreadLocalRandom.current().nextInt(rate) != 0) {
			return;
		}
		boolean full;
		synchronized (this.lock) {
			// reservoir sampling (algorithm R): every sampled value since the last check
			// is equally likely kept
			long index = this.seen++;
			if (this.held < this.reservoir.length) {
				this.reservoir[this.held++] = value.clone();
			}
			else {
				long slot = ThreadLocalRandom.current().nextLong(index + 1);
				if (slot < this.reservoir.length) {
					this.reservoir[(int) slot] = value.clone();
				}
			}
			full = this.held == this.reservoir.length;
		}
		this.level = level;
		if (full && System.nanoTime() - this.nextCheckNanos >= 0 && this.checking.compareAndSet(false, true)) {
			if (!this.registry.submit(this::checkAndReset)) {
				this.checking.set(false);
			}
		}
	}

	/**
	 * Check the held samples now, on the calling thread: measure the current dictionary
	 * on held-out samples and train a new one if there is none or the ratio drifted,
	 * publishing it if it improves the ratio enough. Then empty the reservoir.
	 * @return the outcome of the training, or {@code null} when no training was needed
	 */
	public @Nullable TrainingOutcome check() {
		byte[][] samples;
		synchronized (this.lock) {
			samples = Arrays.copyOf(this.reservoir, this.held);
		}
		if (samples.length < 20) {
			return null;
		}
		List<byte[]> shuffled = new ArrayList<>(Arrays.asList(samples));
		Collections.shuffle(shuffled, new Random(samples.length));
		int heldOutCount = Math.max(10, shuffled.size() / 10);
		List<byte[]> heldOut = shuffled.subList(0, heldOutCount);
		List<byte[]> training = shuffled.subList(heldOutCount, shuffled.size());
		int level = this.level;
		Loaded loaded = this.current;
		double plain = DictionaryTrainer.plainRatio(heldOut, level);
		double now = (loaded != null) ? DictionaryTrainer.ratio(loaded.codec(), heldOut, level) : plain;
		this.plainRatio = plain;
		this.ratio = now;
		this.checkedAt = Instant.now();
		if (loaded != null) {
			double atTraining = loaded.dictionary().ratio();
			boolean drifted = Double.isNaN(atTraining) || now > atTraining * (1 + this.settings.driftThreshold());
			if (!drifted) {
				return null;
			}
		}
		this.trainings.incrementAndGet();
		return train(training, heldOut, level, now, samples.length);
	}

	private TrainingOutcome train(List<byte[]> training, List<byte[]> heldOut, int level, double baseline,
			int sampleCount) {
		try {
			byte[] bytes = DictionaryTrainer.train(training, this.settings.dictionarySize(), level);
			double candidate;
			try (ZstdDictionaryCodec trial = new ZstdDictionaryCodec(Integer.MAX_VALUE, bytes)) {
				candidate = DictionaryTrainer.ratio(trial, heldOut, level);
			}
			if (candidate > baseline * (1 - this.settings.minImprovement())) {
				if (logger.isDebugEnabled()) {
					logger.debug("Dictionary for '" + this.name + "' not published: held-out ratio " + candidate
							+ " against " + baseline + " now");
				}
				return recorded(TrainingOutcome.REJECTED);
			}
			Dictionary dictionary = saveUnderNewId(bytes, sampleCount, candidate);
			if (dictionary == null) {
				return recorded(TrainingOutcome.FAILED);
			}
			int id = dictionary.id();
			Loaded published = this.registry.cache(dictionary);
			this.registry.store().setCurrent(this.name, id);
			// counted before writers see it, so that whoever sees the dictionary sees it
			// counted
			this.published.incrementAndGet();
			recorded(TrainingOutcome.PUBLISHED);
			this.ratio = candidate;
			this.current = published;
			logger.info("Published " + dictionary + " for '" + this.name + "': held-out ratio " + round(candidate)
					+ " (without it " + round(this.plainRatio) + ", before " + round(baseline) + ")");
			return TrainingOutcome.PUBLISHED;
		}
		catch (RuntimeException ex) {
			logger.warn("Training a dictionary for '" + this.name + "' failed; writes keep their current dictionary",
					ex);
			return recorded(TrainingOutcome.FAILED);
		}
	}

	/**
	 * Save under a fresh id. An id found taken means the store's sequence is behind the
	 * ids present (its key was deleted or reset): move the sequence past it, doubling the
	 * step, rather than ever giving an old id to a new dictionary.
	 * @param bytes the trained dictionary
	 * @param sampleCount the number of samples it was trained on
	 * @param candidate the ratio it reached on the held-back samples
	 * @return the saved dictionary, or {@code null} if no free id was found
	 */
	private @Nullable Dictionary saveUnderNewId(byte[] bytes, int sampleCount, double candidate) {
		DictionaryStore store = this.registry.store();
		int step = 1;
		for (int attempt = 0; attempt < MAX_ALLOCATIONS; attempt++) {
			int id = store.allocateId();
			Dictionary dictionary = new Dictionary(id, this.name, bytes, Instant.now(), sampleCount, candidate,
					this.plainRatio);
			if (store.save(dictionary)) {
				return dictionary;
			}
			logger.warn("Dictionary id " + id + " was already taken in the store (was " + store.location(id)
					+ "'s sequence deleted or reset?); moving the sequence past it");
			store.skipPast(id, step);
			step = (int) Math.min((long) step * 2, Integer.MAX_VALUE);
		}
		logger.warn("No free dictionary id found for '" + this.name + "' after " + MAX_ALLOCATIONS
				+ " attempts; not publishing");
		return null;
	}

	private TrainingOutcome recorded(TrainingOutcome outcome) {
		this.registry.recordTraining(outcome);
		return outcome;
	}

	/**
	 * Adopt the dictionary the store names as current for this target, if it is another
	 * one.
	 * @return whether the dictionary in use changed
	 */
	boolean adoptCurrent() {
		int id = this.registry.store().currentId(this.name);
		Loaded loaded = this.current;
		if (id == 0 || (loaded != null && loaded.dictionary().id() == id)) {
			return false;
		}
		Loaded adopted = this.registry.load(id, false);
		if (adopted == null) {
			logger.warn("The store names dictionary " + id + " as current for '" + this.name
					+ "' but does not hold it; keeping the dictionary in use");
			return false;
		}
		this.current = adopted;
		this.adoptions.incrementAndGet();
		this.registry.recordAdoption();
		if (logger.isDebugEnabled()) {
			logger.debug("Adopted " + adopted.dictionary() + " for '" + this.name + "'");
		}
		return true;
	}

	boolean isCurrent(Loaded loaded) {
		return this.current == loaded;
	}

	/**
	 * Return a snapshot of this target's state.
	 * @return the status
	 */
	public DictionaryStatus status() {
		Loaded loaded = this.current;
		int held;
		synchronized (this.lock) {
			held = this.held;
		}
		return new DictionaryStatus(this.name, (loaded != null) ? loaded.dictionary() : null, this.ratio,
				this.plainRatio, this.checkedAt, held, this.trainings.get(), this.published.get(),
				this.adoptions.get());
	}

	private void checkAndReset() {
		try {
			check();
		}
		finally {
			synchronized (this.lock) {
				Arrays.fill(this.reservoir, null);
				this.held = 0;
				this.seen = 0;
			}
			this.nextCheckNanos = System.nanoTime() + this.settings.retrainInterval().toNanos();
			this.checking.set(false);
		}
	}

	private static String round(double ratio) {
		return String.format(java.util.Locale.ROOT, "%.3f", ratio);
	}

}
