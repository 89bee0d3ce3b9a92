"""Tags for a page's <head>: one title and description, used in several places."""

from django import template
from django.utils.html import strip_spaces_between_tags

register = template.Library()


class CaptureNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        text = " ".join(strip_spaces_between_tags(self.nodelist.render(context)).split())
        # Stored for the rest of this template level; printed nowhere here.
        context[self.name] = text
        return ""


@register.tag
def capture(parser, token):
    """``{% capture as name %}…{% endcapture %}``: render the enclosed part (blocks that
    child templates fill included) once, whitespace collapsed, into ``name``. The page
    title then goes to <title> and og:title from the one ``{% block title %}``."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])
