exports.registerCrud = function (router, name, ctrl) {
  router.get('/' + name, ctrl.list);
  router.get(`/${name}/:id`, ctrl.show);
};
