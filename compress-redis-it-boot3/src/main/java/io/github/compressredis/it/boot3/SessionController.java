package io.github.compressredis.it.boot3;

import jakarta.servlet.http.HttpSession;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Keeps a report in the HTTP session, which Spring Session stores in Redis.
 *
 * @author compress-redis contributors
 */
@RestController
public class SessionController {

	/**
	 * Keep the report of an id in the session.
	 * @param id the report's id
	 * @param session the HTTP session
	 * @return the session's id
	 */
	@PostMapping("/session/report/{id}")
	public String keep(@PathVariable String id, HttpSession session) {
		session.setAttribute("report", Reports.of(id));
		return session.getId();
	}

	/**
	 * Return the report kept in the session.
	 * @param session the HTTP session
	 * @return the report, or an empty text
	 */
	@GetMapping("/session/report")
	public String kept(HttpSession session) {
		Object report = session.getAttribute("report");
		return (report != null) ? report.toString() : "";
	}

}
