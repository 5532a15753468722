# The two commands a fresh machine needs: `make demo` (grade the bundled samples) and `make test`.
SWIFT ?= swift
GRADE = .build/debug/grade

.PHONY: setup build demo check test bench mutants sweeps training-spread clean

setup:
	@scripts/setup

# The debug build runs the tests; submissions compile against the release build of CourseKit
# (libSubmissionKit), so that their speed is what students get.
build: setup
	$(SWIFT) build
	$(SWIFT) build -c release --product SubmissionKit

PRACTICALS = practical1 practical2 practical3
MOODLE_IN = .grade/moodle

# The whole term on the bundled course: each practical's student kit written (in handouts/), its
# submissions and times collected from Moodle's files (made from the samples by
# scripts/moodle-demo-class), an extension granted before grading, the three practicals graded, the report marks and the quiz responses imported, one grade overridden by
# hand, the quiz's item analysis, the final grades, every feedback page and dashboard (in .grade/feedback/,
# written as grades and marks are recorded; practical 1's written once more from the gradebook), the three CSV exports (in exports/), and each
# practical's Moodle worksheet filled in and feedback archive (in exports/moodle/). Hugo's practical 3 report is left
# unmarked, so his grades do not count yet: the exports write them blank (--partial), as a partial upload would.
demo: build
	@rm -rf handouts
	@for p in $(PRACTICALS); do $(GRADE) handout $$p --out handouts/$$p --course . || exit 1; done
	@for p in $(PRACTICALS); do scripts/moodle-demo-class $$p $(MOODLE_IN) || exit 1; done
	@for p in $(PRACTICALS); do \
	  $(GRADE) collect $$p --moodle-zip $(MOODLE_IN)/$$p-submissions.zip --worksheet $(MOODLE_IN)/$$p-worksheet.csv --course . || exit 1; \
	done
	$(GRADE) extension practical2 emma --days 2 --reason "medical certificate for 2-3 November" --course .
	$(GRADE) practical1 --course .
	$(GRADE) practical2 --course .
	$(GRADE) practical3 --course .
	$(GRADE) marks import practical1 Submissions/marks/practical1.csv --course .
	$(GRADE) marks import practical2 Submissions/marks/practical2.csv --course .
	$(GRADE) marks import practical3 Submissions/marks/practical3.csv --course .
	$(GRADE) override practical1 emma 6 --reason "one-line compile error; marked by hand with the line fixed, less half" --course .
	$(GRADE) mcq import Submissions/quiz/responses.csv --course .
	$(GRADE) mcq stats --course .
	$(GRADE) final --course .
	$(GRADE) feedback practical1 --course .
	$(GRADE) export --partial --course .
	@for p in $(PRACTICALS); do \
	  $(GRADE) export --format moodle-worksheet --partial --practical $$p --worksheet $(MOODLE_IN)/$$p-worksheet.csv --out exports/moodle/$$p-worksheet.csv --course . && \
	  $(GRADE) export --format moodle-feedback-zip --practical $$p --worksheet $(MOODLE_IN)/$$p-worksheet.csv --out exports/moodle/$$p-feedback.zip --course . || exit 1; \
	done
	@cat exports/grades.csv
	@echo "Feedback pages: .grade/feedback/<practical>/<student>.html; dashboards: .grade/feedback/index.html and .grade/feedback/<practical>/index.html"

# The test suite's tiers (Tests/TestTiers): unit suites (no compiler, no sandbox) and integration suites
# (submissions built and run, training, sweeps) run in parallel; then timing suites (wall-clock limits,
# load) run one at a time with nothing else beside them. `make check` runs the unit tier alone; `make test`
# runs every tier and is what CI runs.
check: build
	GRADE_TEST_TIERS=unit $(SWIFT) test

test: build
	$(SWIFT) test

# Figures, not tests (release build): the sandbox's overhead against an unsandboxed baseline, one
# epoch of the reference MLP on MNIST, and the reference's convolution and CNN epoch, each beside
# scikit-learn and PyTorch where they are installed.
bench: setup
	$(SWIFT) build -c release --product grade-bench
	$(SWIFT) build -c release --product SubmissionKit
	.build/release/grade-bench sandbox
	.build/release/grade-bench mnist
	@if python3 -c "import sklearn" 2>/dev/null; then python3 bench/sklearn_mnist.py; else echo "scikit-learn not installed: skipping bench/sklearn_mnist.py"; fi
	@if python3 -c "import torch" 2>/dev/null; then python3 bench/torch_mnist.py; else echo "torch not installed: skipping bench/torch_mnist.py"; fi
	.build/release/grade-bench cnn
	@if python3 -c "import torch" 2>/dev/null; then python3 bench/torch_cnn.py; else echo "torch not installed: skipping bench/torch_cnn.py"; fi

# The mutation benchmark: every single-change mutant of each practical's correct sample, graded as for
# real, with the kill rate per function, per kind of change and per check, and every survivor.
mutants: build
	.build/debug/grade-bench mutants --jobs 2

# The sweeps too long for the suite: every correct style and sample under twenty student ids (training
# checks left out), and the reference on 200 seeds of every hidden family. Each exits 1 on a failure.
sweeps: build
	.build/debug/grade-bench styles --ids 20
	.build/debug/grade-bench fair-cases --seeds 200

# Practical 2's training check for the sample under twenty student ids: the held-out accuracy's spread.
training-spread: build
	.build/debug/grade-bench training --ids 20

clean:
	rm -rf .build .grade
