// The annotation the kit adds to every object a VCenterTemplate renders: the name of the template that rendered it,
// so plans and apply errors can name it. A module of its own so the program side can import it without the renderer.
export const TEMPLATE_ANNOTATION = "vcenter-operator.stable.sap.cc/template";
