package io.github.compressredis.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A headless Chromium driven by Selenium through Debian's chromedriver. Both executables
 * are named explicitly, so Selenium Manager never runs and nothing is downloaded.
 */
final class HeadlessChromium implements AutoCloseable {

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final JsonMapper json = JsonMapper.builder().build();

	private final ChromeDriver driver;

	private final Path userDataDir;

	private HeadlessChromium(ChromeDriver driver, Path userDataDir) {
		this.driver = driver;
		this.userDataDir = userDataDir;
	}

	/**
	 * Start chromedriver on a free loopback port and open a headless Chromium session
	 * with a fresh profile.
	 * @param width the window width in CSS pixels
	 * @param height the window height in CSS pixels
	 * @param log where chromedriver writes its log
	 * @return the browser, to close
	 */
	static HeadlessChromium start(int width, int height, Path log) throws IOException {
		Path userDataDir = Files.createTempDirectory("sample-app-chromium-");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.withLogFile(log.toFile())
			.build();
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
			.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
					"--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--disable-dev-shm-usage", "--window-size=" + width + "," + height,
					"--user-data-dir=" + userDataDir);
		try {
			return new HeadlessChromium(new ChromeDriver(service, options), userDataDir);
		}
		catch (RuntimeException ex) {
			service.stop();
			deleteRecursively(userDataDir);
			throw ex;
		}
	}

	void open(String url) {
		this.driver.get(url);
	}

	void click(String css) {
		find(css).click();
	}

	void type(String css, String text) {
		WebElement element = find(css);
		element.clear();
		element.sendKeys(text);
	}

	String text(String css) {
		return find(css).getText();
	}

	String attribute(String css, String name) {
		String value = find(css).getDomAttribute(name);
		return (value != null) ? value : "";
	}

	JsonNode execute(String script) {
		return this.json.valueToTree(this.driver.executeScript(script));
	}

	void resize(int width, int height) {
		this.driver.manage().window().setSize(new Dimension(width, height));
	}

	/**
	 * Wait until the browser has painted two frames, so that a screenshot shows the page
	 * as laid out now.
	 */
	void awaitPaint() {
		this.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
				+ " requestAnimationFrame(() => requestAnimationFrame(() => done(true)));");
	}

	void screenshot(Path file) throws IOException {
		Files.createDirectories(file.toAbsolutePath().getParent());
		Files.write(file, this.driver.getScreenshotAs(OutputType.BYTES));
	}

	/**
	 * Wait until a condition about the page holds.
	 * @param what the condition, for the failure message
	 * @param condition the condition
	 */
	void waitUntil(String what, BooleanSupplier condition) {
		new WebDriverWait(this.driver, WAIT).withMessage("waiting until " + what)
			.until((driver) -> condition.getAsBoolean());
	}

	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			deleteRecursively(this.userDataDir);
		}
	}

	private WebElement find(String css) {
		return this.driver.findElement(By.cssSelector(css));
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
