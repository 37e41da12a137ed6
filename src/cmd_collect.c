/* leaky collect (being written). */
#include "cmd.h"
#include "leaky.h"

int cmd_collect(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	error("not implemented yet");
	return LEAKY_FAIL;
}
