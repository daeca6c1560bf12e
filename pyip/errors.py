"""The one exception pyip raises for anything the user or the kernel got wrong.

IpExit is ip's exit(): `message` is printed to stderr exactly as given (ip's text, with
its newline), then the process (or, in -batch, the whole batch) ends with `code`:
255 for syntax (ip's exit(-1)), 1 for validation, 2 for kernel errors.
"""


class IpExit(Exception):
    def __init__(self, message, code):
        Exception.__init__(self, message, code)
        self.message = message
        self.code = code


class Failed(IpExit):
    """A command that returns a failure where ip's function `return`s rather than exit()s:
    the message, then in -batch "Command failed FILE:LINE" and (under -force) the next line."""


class Unimplemented(IpExit):
    """What pyip does not do itself.  pyip the command hands it to the system's ip
    (pyip.delegate); otherwise the message, exit 1."""

    def __init__(self, message):
        IpExit.__init__(self, message, 1)


def invarg(msg, arg):
    raise IpExit('Error: argument "%s" is wrong: %s\n' % (arg, msg), 255)


def invalid(key, arg):
    """ip's invarg() for a bad value after an option: the message is the grammar's (an
    //@invalid line beside the option, compiled into _tables.INVALID under "rule.alias"; a
    later release's wording under "rule.alias@X.Y")."""
    from pyip._tables import INVALID
    from pyip.release import pick
    invarg(pick(INVALID, key), arg)


def missarg(key):
    raise IpExit('Error: argument "%s" is required\n' % key, 255)


def duparg(key, arg):
    raise IpExit('Error: duplicate "%s": "%s" is the second value.\n' % (key, arg), 255)


# duparg2()'s wording by first release (iproute2 c4e85023, 6.13: "is a garbage" -> "is garbage")
DUPARG2 = {(6, 1): 'Error: either "%s" is duplicate, or "%s" is a garbage.\n',
           (6, 13): 'Error: either "%s" is duplicate, or "%s" is garbage.\n'}


def duparg2(key, arg):
    from pyip.release import by_release
    raise IpExit(by_release(DUPARG2) % (key, arg), 255)


def incomplete_command():
    raise IpExit('Command line is not complete. Try option "help"\n', 255)


def usage(name):
    """ip's usage(): the text from the grammar on stderr, exit 255."""
    from pyip._tables import USAGE
    from pyip.release import pick
    raise IpExit(pick(USAGE, name), 255)
