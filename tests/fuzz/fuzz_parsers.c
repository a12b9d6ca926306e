// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for every parser: the first byte picks one, the rest
 * is its input (6: a recording, whose steps are then printed).  Run by tests/fuzz/run.sh under ASan and UBSan.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "kmod.h"
#include "lineview.h"
#include "procfs.h"
#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pt_layout ly;
	static struct pt_vma vma = { .path = "" };
	struct pt_intern pool = { 0 };
	struct pt_kmod_answer a;
	struct pt_replay rp;
	struct pt_maps m;
	uint64_t x, y;
	size_t i;
	char *s;
	FILE *f;

	if (!size)
		return 0;
	s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 7) {
	case 0:
		if (!pt_kmod_parse_answer(s, size - 1, &a))
			pt_kmod_answer_free(&a);
		break;
	case 1:
		/* arm64's too: its "mt" lines name a field's values */
		pt_layout_init(&ly, size & 1 ? &pt_arch_arm64 : &pt_arch_x86_64,
			       PT_KV(6, 12));
		pt_kmod_parse_layout(s, size - 1, &ly);
		break;
	case 2:
		/* a pool of the input's own, as a range walk has */
		pt_maps_parse_line(s, &vma, &pool);
		pt_smaps_parse_vmflags(s, &vma);
		pt_intern_free(&pool);
		vma.path = "";
		break;
	case 3:
		f = fmemopen(s, size - 1 ? size - 1 : 1, "r");
		if (f && !pt_maps_parse(f, &m)) {
			pt_addr_parse("heap+0x10", &m, &x, NULL);
			pt_range_parse("stack", &m, &x, &y, NULL);
			pt_maps_free(&m);
		}
		if (f)
			fclose(f);
		break;
	case 4:
		pt_addr_parse(s, NULL, &x, NULL);
		pt_range_parse(s, NULL, &x, &y, NULL);
		break;
	case 6:
		/* a recording (ptinspect replay), then every step through a view */
		if (!pt_replay_parse(s, size - 1, &rp, NULL)) {
			f = fopen("/dev/null", "w");
			for (i = 0; f && i < rp.lab->nr_steps; i++) {
				pt_lineview_step(f, rp.lab, i, false);
				pt_lineview_step(f, rp.lab, i, true);
			}
			if (f)
				fclose(f);
			pt_replay_free(&rp);
		}
		break;
	default:
		pt_layout_init(&ly, size & 1 ? &pt_arch_arm64 : &pt_arch_x86_64,
			       PT_KV(6, size % 20));
		if (size >= 9) {
			struct pt_decoded d;

			memcpy(&x, data + 1, 8);
			pt_decode(&ly, data[0] % PT_NR_LEVELS, x, &d);
		}
		break;
	}
	free(s);
	return 0;
}
