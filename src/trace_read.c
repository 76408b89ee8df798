/* trace_read.c - reads a trace file (plain, gzip or xz) into page numbers, detecting its format.
 *
 * Three layers, bottom up:
 *   source  bytes of the file or stdin, inflated when the first bytes are the
 *           gzip (1f 8b) or xz (fd '7zXZ' 00) magic, whatever the name says;
 *   lines   one line at a time, any length (overlong ones are marked, not
 *           kept), CR LF accepted, NUL bytes noticed;
 *   parse   one line -> one page number, in one of three formats:
 *             pages   "1234"                 a decimal page number
 *             hex     "0x7ffd1234"           an address
 *             lackey  "I  04222cec,3", " L 7ff000398,8", " S ...", " M ..."
 *                     (valgrind --trace-mem=yes; "==PID==" lines are chatter)
 * The format is the one most of the first DETECT_LINES data lines match
 * (blank and '#' lines are not data), so one odd line at the top does not
 * decide it. Lines that do not match are reported "FILE:LINE: why".
 */
#include "trace.h"
#include "lines.h"

#include <errno.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define SOURCE_CHUNK (64 * 1024)
#define LINE_MAX_KEPT 4096 /* longer lines are never valid: report, do not keep */
#define DETECT_LINES 64

/* ---- source: bytes, decompressed if need be ---- */

enum codec { CODEC_PLAIN, CODEC_GZIP, CODEC_XZ };

struct source {
	FILE *file;
	bool close_file;             /* false for stdin */
	enum codec codec;
	z_stream gz;
	lzma_stream xz;
	bool codec_ready;            /* gz or xz needs its end call */
	unsigned char in[SOURCE_CHUNK];
	size_t in_pos, in_len;       /* undelivered raw bytes in[in_pos..in_len) */
	bool in_eof;                 /* no more raw bytes in the file */
	bool done;                   /* decoded stream ended */
	const char *error;           /* why reading stopped early, or NULL */
};

static const unsigned char gzip_magic[] = {0x1f, 0x8b};
static const unsigned char xz_magic[] = {0xfd, '7', 'z', 'X', 'Z', 0x00};

/* Makes sure some raw bytes are waiting unless the file has ended. */
static void source_refill(struct source *s)
{
	if (s->in_pos < s->in_len || s->in_eof)
		return;
	s->in_pos = 0;
	s->in_len = fread(s->in, 1, sizeof s->in, s->file);
	if (s->in_len < sizeof s->in) {
		if (ferror(s->file))
			s->error = strerror(errno ? errno : EIO);
		s->in_eof = true;
	}
}

static bool starts_with(const struct source *s, const unsigned char *magic, size_t n)
{
	return s->in_len >= n && memcmp(s->in, magic, n) == 0;
}

/* Opens path ("-" = stdin) and picks the codec from the first bytes.
 * Returns false with s->error set (or errno meaningful) on failure. */
static bool source_open(struct source *s, const char *path)
{
	memset(s, 0, sizeof *s);
	lzma_stream fresh = LZMA_STREAM_INIT;
	s->xz = fresh;
	if (strcmp(path, "-") == 0) {
		s->file = stdin;
	} else {
		s->file = fopen(path, "rb");
		if (!s->file) {
			s->error = strerror(errno);
			return false;
		}
		s->close_file = true;
	}
	source_refill(s);
	if (s->error)
		return false;
	if (starts_with(s, xz_magic, sizeof xz_magic)) {
		s->codec = CODEC_XZ;
		if (lzma_stream_decoder(&s->xz, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
			s->error = "cannot start the xz decoder";
			return false;
		}
	} else if (starts_with(s, gzip_magic, sizeof gzip_magic)) {
		s->codec = CODEC_GZIP;
		if (inflateInit2(&s->gz, 15 + 16) != Z_OK) { /* 15 + 16: gzip wrapper */
			s->error = "cannot start the gzip decoder";
			return false;
		}
	}
	s->codec_ready = s->codec != CODEC_PLAIN;
	return true;
}

static void source_close(struct source *s)
{
	if (s->codec_ready && s->codec == CODEC_GZIP)
		inflateEnd(&s->gz);
	if (s->codec_ready && s->codec == CODEC_XZ)
		lzma_end(&s->xz);
	if (s->close_file && s->file)
		fclose(s->file);
}

static size_t read_plain(struct source *s, unsigned char *buf, size_t cap)
{
	source_refill(s);
	size_t n = s->in_len - s->in_pos;
	if (n > cap)
		n = cap;
	memcpy(buf, s->in + s->in_pos, n);
	s->in_pos += n;
	if (n == 0)
		s->done = true;
	return n;
}

static size_t read_gzip(struct source *s, unsigned char *buf, size_t cap)
{
	s->gz.next_out = buf;
	s->gz.avail_out = (uInt)cap;
	while (s->gz.avail_out == cap && !s->done && !s->error) {
		source_refill(s);
		s->gz.next_in = s->in + s->in_pos;
		s->gz.avail_in = (uInt)(s->in_len - s->in_pos);
		int ret = inflate(&s->gz, Z_NO_FLUSH);
		s->in_pos = s->in_len - s->gz.avail_in;
		if (ret == Z_STREAM_END) {
			/* gzip files may hold several members back to back. */
			source_refill(s);
			if (s->in_pos == s->in_len)
				s->done = true;
			else
				inflateReset(&s->gz);
		} else if (ret == Z_MEM_ERROR) {
			s->error = "out of memory";
		} else if (ret == Z_BUF_ERROR && s->in_eof && s->in_pos == s->in_len) {
			s->error = "truncated gzip data";
		} else if (ret != Z_OK && ret != Z_BUF_ERROR) {
			s->error = "corrupt gzip data";
		}
	}
	return cap - s->gz.avail_out;
}

static size_t read_xz(struct source *s, unsigned char *buf, size_t cap)
{
	s->xz.next_out = buf;
	s->xz.avail_out = cap;
	while (s->xz.avail_out == cap && !s->done && !s->error) {
		source_refill(s);
		s->xz.next_in = s->in + s->in_pos;
		s->xz.avail_in = s->in_len - s->in_pos;
		lzma_ret ret = lzma_code(&s->xz, s->in_eof ? LZMA_FINISH : LZMA_RUN);
		s->in_pos = s->in_len - s->xz.avail_in;
		if (ret == LZMA_STREAM_END)
			s->done = true;
		else if (ret == LZMA_MEM_ERROR)
			s->error = "out of memory";
		else if (ret == LZMA_BUF_ERROR)
			s->error = "truncated xz data";
		else if (ret != LZMA_OK)
			s->error = "corrupt xz data";
	}
	return cap - s->xz.avail_out;
}

/* Fills buf with up to cap decoded bytes; 0 at the end or on error. */
static size_t source_read(struct source *s, unsigned char *buf, size_t cap)
{
	if (s->done || s->error)
		return 0;
	switch (s->codec) {
	case CODEC_GZIP:
		return read_gzip(s, buf, cap);
	case CODEC_XZ:
		return read_xz(s, buf, cap);
	default:
		return read_plain(s, buf, cap);
	}
}

/* ---- lines ---- */

struct line {
	char text[LINE_MAX_KEPT + 1]; /* NUL-terminated, newline and CR dropped */
	uint64_t number;              /* 1-based */
};

static size_t source_fill(void *src, unsigned char *buf, size_t cap)
{
	return source_read(src, buf, cap);
}

/* ---- parsing one line ---- */

enum line_kind { LINE_SKIP, LINE_ACCESS, LINE_BAD };

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Digits in base 10 or 16 into *v. Returns NULL if there is none or the
 * value does not fit in 64 bits (*overflow says which). */
static const char *parse_number(const char *p, int base, uint64_t *v, bool *overflow)
{
	uint64_t x = 0;
	const char *start = p;
	*overflow = false;
	for (;; p++) {
		int d;
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			break;
		if (x > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			*overflow = true;
		x = x * (uint64_t)base + (uint64_t)d;
	}
	if (p == start || *overflow)
		return NULL;
	*v = x;
	return p;
}

static bool at_end(const char *p)
{
	return *skip_space(p) == '\0';
}

static enum line_kind parse_pages(const char *p, unsigned shift, uint64_t *page, const char **why)
{
	bool overflow;
	const char *end = parse_number(p, 10, page, &overflow);
	(void)shift; /* already page numbers */
	if (!end || !at_end(end)) {
		*why = overflow ? "page number too large" : "expected a decimal page number";
		return LINE_BAD;
	}
	return LINE_ACCESS;
}

static enum line_kind parse_hex(const char *p, unsigned shift, uint64_t *page, const char **why)
{
	uint64_t addr;
	bool overflow = false;
	const char *end = NULL;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		end = parse_number(p + 2, 16, &addr, &overflow);
	if (!end || !at_end(end)) {
		*why = overflow ? "address too large (over 64 bits)"
				: "expected a hex address like 0x7ffd1234";
		return LINE_BAD;
	}
	*page = addr >> shift;
	return LINE_ACCESS;
}

/* "I  04222cec,3" or " L|S|M addr,size": one access at addr (an M, a
 * read-modify-write, is one access too). */
static enum line_kind parse_lackey(const char *p, unsigned shift, uint64_t *page, const char **why)
{
	uint64_t addr, size;
	bool overflow = false;
	const char *end = NULL;
	if ((*p == 'I' || *p == 'L' || *p == 'S' || *p == 'M') && (p[1] == ' ' || p[1] == '\t')) {
		end = parse_number(skip_space(p + 1), 16, &addr, &overflow);
		if (end && *end == ',')
			end = parse_number(end + 1, 10, &size, &overflow);
		else
			end = NULL;
	}
	if (!end || !at_end(end)) {
		*why = overflow ? "number too large (over 64 bits)"
				: "expected a lackey line like ' L 04222cec,8'";
		return LINE_BAD;
	}
	*page = addr >> shift;
	return LINE_ACCESS;
}

typedef enum line_kind (*parse_fn)(const char *p, unsigned shift, uint64_t *page, const char **why);

static const parse_fn parsers[] = {
	[TRACE_FORMAT_PAGES] = parse_pages,
	[TRACE_FORMAT_HEX] = parse_hex,
	[TRACE_FORMAT_LACKEY] = parse_lackey,
};

/* Blank lines and '#' comments carry nothing in any format; "==PID==" is
 * valgrind talking. Neither is data, nor a bad line. */
static bool is_filler(const char *p)
{
	return *p == '\0' || *p == '#' || (p[0] == '=' && p[1] == '=');
}

static enum line_kind parse_line(enum trace_format f, const struct line *l, unsigned shift,
				 uint64_t *page, const char **why)
{
	const char *p = skip_space(l->text);
	if (is_filler(p))
		return LINE_SKIP;
	if (f == TRACE_FORMAT_UNKNOWN) {
		*why = "not a trace line (page numbers, 0x addresses or valgrind lackey output)";
		return LINE_BAD;
	}
	return parsers[f](p, shift, page, why);
}

/* The format most of the sample lines parse in; ties go to the more
 * specific format (lackey, then hex). */
static enum trace_format detect_format(const struct line *sample, size_t n)
{
	static const enum trace_format order[] = {TRACE_FORMAT_LACKEY, TRACE_FORMAT_HEX,
						  TRACE_FORMAT_PAGES};
	enum trace_format best = TRACE_FORMAT_UNKNOWN;
	size_t best_votes = 0;
	for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
		size_t votes = 0;
		for (size_t i = 0; i < n; i++) {
			uint64_t page;
			const char *why;
			if (parse_line(order[k], &sample[i], 0, &page, &why) == LINE_ACCESS)
				votes++;
		}
		if (votes > best_votes) {
			best = order[k];
			best_votes = votes;
		}
	}
	return best;
}

/* ---- the whole file ---- */

struct reader {
	const char *name;               /* for messages */
	const struct trace_read_opts *o;
	unsigned shift;                 /* log2(page size) */
	unsigned messages;              /* bad-line messages printed */
	struct trace *t;
};

/* ---- the fast path: plain lines parsed in place ----
 *
 * Nearly every line of a real trace is plain: digits right up to the
 * newline ("1234", "0x7ffd1234", " L 7ff000398,8", CR LF allowed). Those
 * are parsed where they lie in the line reader's buffer, in one pass, with
 * no copy; any other line (spaces, comments, a bad line, a number that
 * might not fit, the last bytes of a buffer) stops the fast path and goes
 * through lines_next and parse_line above, one line, so the results and
 * the messages are the same. The fast path accepts a line only if
 * parse_line would take it, with the same page. */

/* A plain line is at most 49 bytes (lackey: space, kind, up to 9 spaces,
 * 16 hex digits, comma, 19 digits, CR LF), and no parse looks further than
 * its end; the fast path works only while this many bytes are left, so it
 * never looks past the buffer. */
#define PLAIN_LINE_MAX 64

/* The digits that lead an 8-byte little-endian load, and their value:
 * a byte minus '0' is a digit when it is at most 9, i.e. when adding 0x76
 * leaves its top bit clear (bytes past the first non-digit may borrow or
 * carry, but only into later bytes, which are not used). */
static unsigned swar_digits(const unsigned char *p, uint64_t *v)
{
	uint64_t chunk;
	memcpy(&chunk, p, 8);
	uint64_t d = chunk - 0x3030303030303030ull;
	uint64_t bad = (d | (d + 0x7676767676767676ull)) & 0x8080808080808080ull;
	unsigned n = bad ? (unsigned)__builtin_ctzll(bad) / 8 : 8;
	*v = 0;
	if (n == 0)
		return 0;
	/* Keep the n digits, most significant in the high byte... */
	d <<= 64 - 8 * n;
	/* ...and fold pairs, quads and octets: each step multiplies the
	 * higher-addressed half's partner by its weight. */
	d = (d * 10 + (d >> 8)) & 0x00ff00ff00ff00ffull;
	d = (d * 100 + (d >> 16)) & 0x0000ffff0000ffffull;
	d = (d * 10000 + (d >> 32)) & 0xffffffffull;
	*v = d;
	return n;
}

/* Up to max decimal digits (max <= 19: no overflow) from p; NULL if there
 * are none or more than max. Needs max + 1 readable bytes at p. Eight at
 * once, then the few after one by one. */
static const unsigned char *plain_decimal(const unsigned char *p, unsigned max, uint64_t *v)
{
	uint64_t x;
	unsigned n = swar_digits(p, &x);
	if (n == 8) {
		unsigned d;
		while ((d = (unsigned)p[n] - '0') <= 9) {
			x = x * 10 + d;
			if (++n > max)
				return NULL;
		}
	}
	*v = x;
	return n ? p + n : NULL;
}

#define BYTES(b) (0x0101010101010101ull * (b))

/* The same for hex digits. Each byte is classified with additions that
 * cannot carry out of it (its top bit set aside first), so the test is
 * exact for every byte: '0'..'9', or 'a'..'f' once lower-cased. */
static unsigned swar_hex(const unsigned char *p, uint64_t *v)
{
	uint64_t chunk;
	memcpy(&chunk, p, 8);
	uint64_t lo7 = chunk & BYTES(0x7f), low = lo7 | BYTES(0x20);
	uint64_t digit = (lo7 + BYTES(0x80 - '0')) & ~(lo7 + BYTES(0x80 - '9' - 1));
	uint64_t alpha = (low + BYTES(0x80 - 'a')) & ~(low + BYTES(0x80 - 'f' - 1));
	uint64_t bad = ((~(digit | alpha)) | chunk) & BYTES(0x80);
	unsigned n = bad ? (unsigned)__builtin_ctzll(bad) / 8 : 8;
	*v = 0;
	if (n == 0)
		return 0;
	/* A digit's value is its low nibble, plus 9 for a letter (bit 6). */
	uint64_t d = (chunk & BYTES(0x0f)) + ((chunk >> 6) & BYTES(0x01)) * 9;
	d <<= 64 - 8 * n;
	d = (d * 16 + (d >> 8)) & 0x00ff00ff00ff00ffull;
	d = (d * 256 + (d >> 16)) & 0x0000ffff0000ffffull;
	d = (d * 65536 + (d >> 32)) & 0xffffffffull;
	*v = d;
	return n;
}

#define HEX(c, v) [c] = (v) + 1
/* Hex digit value + 1; 0 for any other byte. */
static const uint8_t hex_value[256] = {
	HEX('0', 0), HEX('1', 1), HEX('2', 2), HEX('3', 3), HEX('4', 4), HEX('5', 5), HEX('6', 6),
	HEX('7', 7), HEX('8', 8), HEX('9', 9), HEX('a', 10), HEX('b', 11), HEX('c', 12), HEX('d', 13),
	HEX('e', 14), HEX('f', 15), HEX('A', 10), HEX('B', 11), HEX('C', 12), HEX('D', 13), HEX('E', 14),
	HEX('F', 15),
};
#undef HEX

/* Up to 16 hex digits (no overflow); NULL if none or more. Needs 17
 * readable bytes at p. The first eight at once, the few after (an
 * address has 9 to 12) one by one: cheaper than a second 8-byte pass. */
static const unsigned char *plain_hex(const unsigned char *p, uint64_t *v)
{
	uint64_t x;
	unsigned n = swar_hex(p, &x);
	if (n == 8) {
		unsigned d;
		while ((d = hex_value[p[n]]) != 0) {
			x = x << 4 | (d - 1);
			if (++n > 16)
				return NULL;
		}
	}
	*v = x;
	return n ? p + n : NULL;
}

/* Past the line end at p ("\n" or "\r\n"), or NULL if p is not one. */
static const unsigned char *plain_newline(const unsigned char *p)
{
	if (p && *p == '\n')
		return p + 1;
	if (p && p[0] == '\r' && p[1] == '\n')
		return p + 2;
	return NULL;
}

/* One plain line at p in format f: its page, and where the next line
 * starts; NULL if the line is not plain. */
static const unsigned char *plain_line(enum trace_format f, const unsigned char *p, unsigned shift,
				       uint64_t *page)
{
	uint64_t v, size;
	switch (f) {
	case TRACE_FORMAT_PAGES:
		p = plain_newline(plain_decimal(p, 19, page));
		return p;
	case TRACE_FORMAT_HEX:
		if (p[0] != '0' || (p[1] | 0x20) != 'x')
			return NULL;
		p = plain_newline(plain_hex(p + 2, &v));
		*page = v >> shift;
		return p;
	case TRACE_FORMAT_LACKEY:
		p += *p == ' ';
		if ((*p != 'I' && *p != 'L' && *p != 'S' && *p != 'M') || p[1] != ' ')
			return NULL;
		p += 2;
		for (int i = 0; i < 8 && *p == ' '; i++)
			p++;
		p = plain_hex(p, &v);
		if (!p || *p != ',')
			return NULL;
		p = plain_newline(plain_decimal(p + 1, 19, &size));
		*page = v >> shift;
		return p;
	default:
		return NULL;
	}
}

/* Takes the plain lines waiting in the reader's buffer, up to the first
 * that is not (or the trace's allocated room). */
static void take_plain_lines(struct reader *rd, struct lines *lr)
{
	struct trace *t = rd->t;
	size_t n;
	const unsigned char *start = lines_ahead(lr, &n);
	if (n < PLAIN_LINE_MAX || t->format == TRACE_FORMAT_UNKNOWN || !t->pages)
		return; /* (no room yet: the general path grows it) */
	const unsigned char *p = start, *stop = start + n - PLAIN_LINE_MAX;
	uint64_t *out = t->pages + t->count, *room = t->pages + t->cap;
	enum trace_format f = t->format;
	while (p <= stop && out < room) {
		const unsigned char *next = plain_line(f, p, rd->shift, out);
		if (!next)
			break;
		out++;
		p = next;
	}
	uint32_t taken = (uint32_t)(out - (t->pages + t->count));
	t->count += taken;
	lines_taken(lr, (size_t)(p - start), taken);
}

static void report(const struct reader *rd, const struct line *l, const char *why)
{
	if (rd->o->err)
		fprintf(rd->o->err, "%s:%llu: %s\n", rd->name, (unsigned long long)l->number, why);
}

/* Takes one line; returns false when reading must stop (error printed). */
static bool take_line(struct reader *rd, const struct line *l)
{
	uint64_t page = 0;
	const char *why = NULL;
	switch (parse_line(rd->t->format, l, rd->shift, &page, &why)) {
	case LINE_SKIP:
		return true;
	case LINE_ACCESS:
		if (trace_append(rd->t, page))
			return true;
		report(rd, l, rd->t->count >= TRACE_MAX_ACCESSES ? "trace too long" : "out of memory");
		return false;
	case LINE_BAD:
		break;
	}
	rd->t->bad_lines++;
	if (rd->o->bad == TRACE_BAD_REFUSE) {
		report(rd, l, why);
		return false;
	}
	if (rd->messages < rd->o->max_messages)
		report(rd, l, why);
	else if (rd->messages == rd->o->max_messages && rd->o->err)
		fprintf(rd->o->err, "%s: more bad lines; not showing them\n", rd->name);
	rd->messages++;
	return true;
}

/* The next line into l; false at the end, or after reporting a line that
 * stops the reading (too long, binary). */
static bool next_line(const struct reader *rd, struct lines *lr, struct line *l)
{
	enum lines_status st = lines_next(lr);
	if (st == LINES_OK) {
		memcpy(l->text, lr->text, lr->len + 1);
		l->number = lr->number;
		return true;
	}
	if (st != LINES_END && rd->o->err) {
		char why[100];
		lines_why(lr, st, why, sizeof why);
		fprintf(rd->o->err, "%s:%llu: %s\n", rd->name, (unsigned long long)lr->number, why);
	}
	return false;
}

/* Reads until DETECT_LINES data lines are seen (or the end), keeping those
 * in sample; filler lines in between carry nothing and are dropped. Returns
 * how many were kept. */
static size_t read_sample(const struct reader *rd, struct lines *lr, struct line *sample)
{
	size_t n = 0;
	while (n < DETECT_LINES && next_line(rd, lr, &sample[n]))
		if (!is_filler(skip_space(sample[n].text)))
			n++;
	return n;
}

static unsigned log2_exact(uint64_t v)
{
	unsigned s = 0;
	while ((1ull << s) < v)
		s++;
	return s;
}

int trace_read(const char *path, const struct trace_read_opts *o, struct trace *t)
{
	struct reader rd = {.name = strcmp(path, "-") == 0 ? "<stdin>" : path, .o = o, .t = t};
	if (o->page_size == 0 || (o->page_size & (o->page_size - 1)) != 0) {
		if (o->err)
			fprintf(o->err, "%s: page size must be a power of two\n", rd.name);
		return -1;
	}
	rd.shift = log2_exact(o->page_size);

	struct source *src = malloc(sizeof *src);
	struct line *lines = malloc(DETECT_LINES * sizeof *lines);
	struct lines lr = {0};
	bool ok = src && lines;
	if (!ok) {
		if (o->err)
			fprintf(o->err, "%s: out of memory\n", rd.name);
	} else if (!source_open(src, path)) {
		ok = false;
		if (o->err)
			fprintf(o->err, "%s: %s\n", rd.name, src->error ? src->error : "cannot open");
	} else if (lines_open(&lr, source_fill, src, LINE_MAX_KEPT) < 0) {
		ok = false;
		if (o->err)
			fprintf(o->err, "%s: out of memory\n", rd.name);
	} else {
		size_t n = read_sample(&rd, &lr, lines);
		t->format = detect_format(lines, n);
		for (size_t i = 0; ok && i < n; i++)
			ok = take_line(&rd, &lines[i]);
		while (ok) {
			take_plain_lines(&rd, &lr);
			if (!next_line(&rd, &lr, &lines[0]))
				break;
			ok = take_line(&rd, &lines[0]);
		}
		/* A line that stopped the reading was reported by next_line. */
		if (ok && lr.failed)
			ok = false;
		if (ok && src->error) {
			ok = false;
			if (o->err)
				fprintf(o->err, "%s: %s\n", rd.name, src->error);
		}
	}
	lines_close(&lr);
	if (src)
		source_close(src);
	free(src);
	free(lines);
	return ok ? 0 : -1;
}

const char *trace_format_name(enum trace_format f)
{
	switch (f) {
	case TRACE_FORMAT_PAGES:
		return "page numbers";
	case TRACE_FORMAT_HEX:
		return "hex addresses";
	case TRACE_FORMAT_LACKEY:
		return "valgrind lackey";
	default:
		return "unknown";
	}
}
