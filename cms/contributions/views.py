def contribute(request):
    raise NotImplementedError


def thanks(request):
    raise NotImplementedError


def status(request, token):
    raise NotImplementedError
